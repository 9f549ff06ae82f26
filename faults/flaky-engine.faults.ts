import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, newsFeed, serve } from "./support/feed-server.ts";
import { metricByLabels } from "./support/metrics.ts";
import { addNewsSource, allPublished, expectEachStoryPublishedOnce, LANGUAGES } from "./support/pipeline.ts";
import { openScenario, type Scenario } from "./support/scenario.ts";

const ITEMS = 12;
const TRANSLATIONS = ITEMS * LANGUAGES.length;
const FLAKY_MS = 60_000;
/** Stories published while the engine is down for good, after the flaky minute's stories are out. */
const OUTAGE = 4;

/**
 * A LibreTranslate that, for its first minute, fails about half of its calls with 500 or 429,
 * chosen by story so the outcome does not hang on timing: every fourth story always fails
 * (retries cannot save it: the chain must fall back), every other odd one fails once with a
 * 429 and a Retry-After (a retry saves it), the rest answer. A translation echoes its input.
 * While `state.down`, every translation fails with 500.
 */
function flakyLibreTranslate(startedAt: () => number) {
  const calls = new Map<string, number>();
  const answers = { languages: 0, ok: 0, serverError: 0, rateLimited: 0 };
  const state = { down: false };
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method === "GET" && request.url === "/languages") {
        answers.languages++;
        const languages = [
          { code: "en", name: "English", targets: [...LANGUAGES] },
          ...LANGUAGES.map((code) => ({ code, name: code, targets: ["en"] })),
        ];
        return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(languages));
      }
      const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as { q?: string[] | string; target?: string };
      const texts = Array.isArray(body.q) ? body.q : [body.q ?? ""];
      const story = Number(/[Ss]tory (?:number )?(\d+)/.exec(texts.join(" "))?.[1] ?? 0);
      const key = `${body.target}:${texts.join("\u0000")}`;
      const call = (calls.get(key) ?? 0) + 1;
      calls.set(key, call);
      const flaky = Date.now() - startedAt() < FLAKY_MS;
      if (state.down || (flaky && story > 0 && story % 4 === 0)) {
        answers.serverError++;
        return void response.writeHead(500).end("internal error");
      }
      if (flaky && story % 2 === 1 && call === 1) {
        answers.rateLimited++;
        return void response.writeHead(429, { "retry-after": "1" }).end("slow down");
      }
      answers.ok++;
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ translatedText: texts }));
    });
  };
  return { handler, answers, state };
}

/** The news feed, to which more stories can be added later. */
async function growingNewsFeed(initial: number) {
  let count = initial;
  let base = "";
  const server = await serve((request, response) => {
    if (request.url === "/feed.xml") {
      response.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(newsFeed(count, base));
    } else response.writeHead(404).end();
  });
  base = server.url;
  const publish = (more: number) => {
    count += more;
  };
  return { ...server, feedUrl: `${server.url}/feed.xml`, publish };
}

let scenario: Scenario;
let feed: Awaited<ReturnType<typeof growingNewsFeed>>;
let sourceId = "";
let engine: LocalServer;
let startedAt = 0;
const flaky = flakyLibreTranslate(() => startedAt);

beforeAll(async () => {
  feed = await growingNewsFeed(ITEMS);
  engine = await serve(flaky.handler, "127.0.0.7");
  scenario = await openScenario({
    env: { TRANSLATION_ENGINES: "libretranslate,apertium", LIBRETRANSLATE_URL: engine.url },
  });
});

afterAll(async () => {
  await scenario?.cleanup();
  await engine?.close();
  await feed?.close();
});

describe("a translation engine failing half its calls with 500 or 429 for a minute", () => {
  it("translates every article in the end, backing off visibly and falling back to Apertium", async () => {
    const { babelwire, database } = scenario;
    await babelwire.start();
    startedAt = Date.now();
    sourceId = await addNewsSource(babelwire, feed.feedUrl);
    await allPublished(babelwire, database, TRANSLATIONS, `engine answers: ${JSON.stringify(flaky.answers)}`);
    await expectEachStoryPublishedOnce(babelwire, database, ITEMS);

    const { languages, ok, serverError, rateLimited } = flaky.answers;
    expect(serverError).toBeGreaterThan(0);
    expect(rateLimited).toBeGreaterThan(0);
    // Every failed call was counted, and retried (more calls than answers that succeeded).
    const errors = await metricByLabels(babelwire, "babelwire_engine_errors_total", "engine", "code");
    expect(errors.libretranslate).toEqual({
      ENGINE_SERVER_ERROR: serverError,
      ENGINE_RATE_LIMITED: rateLimited,
    });
    const requests = await metricByLabels(babelwire, "babelwire_engine_requests_total", "engine", "engine");
    // Every translate call is counted; of the pair listings, those the API makes to check a new
    // source's targets are not engine use (the translator's own listing is).
    const counted = requests.libretranslate?.libretranslate ?? 0;
    expect(counted).toBeGreaterThanOrEqual(ok + serverError + rateLimited);
    expect(counted).toBeLessThanOrEqual(languages + ok + serverError + rateLimited);
    // Stories the engine kept failing went to the next engine in the chain; the rest stayed with it.
    const engines = await database.rows<{ story: number; lang: string; engine: string }>(
      `select substring(a.title from 'Story (\\d+)')::int as story, t.lang, t.engine
         from translations t join articles a on a.id = t.article_id order by 1, 2`,
    );
    for (const row of engines) {
      expect(row.engine, `story ${row.story} in ${row.lang}`).toBe(row.story % 4 === 0 ? "apertium" : "libretranslate");
    }
  });

  it("takes the engine out of the chain when it keeps failing: the circuit opens, the operator hears it, Apertium translates", async () => {
    const { babelwire, database } = scenario;
    flaky.state.down = true;
    const failedBefore = flaky.answers.serverError;
    feed.publish(OUTAGE);
    const poll = await babelwire.api(`/v1/sources/${sourceId}/poll`, { method: "POST" });
    expect(poll.status, await poll.clone().text()).toBeLessThan(300);
    const total = (ITEMS + OUTAGE) * LANGUAGES.length;
    await allPublished(babelwire, database, total, `engine down; answers: ${JSON.stringify(flaky.answers)}`);

    const engines = await database.rows<{ story: number; lang: string; engine: string }>(
      `select substring(a.title from 'Story (\\d+)')::int as story, t.lang, t.engine
         from translations t join articles a on a.id = t.article_id
        where substring(a.title from 'Story (\\d+)')::int > ${ITEMS} order by 1, 2`,
    );
    expect(engines).toHaveLength(OUTAGE * LANGUAGES.length);
    for (const row of engines) expect(row.engine, `story ${row.story} in ${row.lang}`).toBe("apertium");
    // Five requests failed for good (each after its retries); the circuit opened and the requests
    // after them went to Apertium without reaching the engine: fewer calls than every request's
    // four attempts.
    const attempts = flaky.answers.serverError - failedBefore;
    expect(attempts).toBeGreaterThanOrEqual(5);
    expect(attempts).toBeLessThan(OUTAGE * LANGUAGES.length * 4);
    const circuit = await metricByLabels(babelwire, "babelwire_engine_circuit_state", "engine", "engine");
    expect(circuit.libretranslate?.libretranslate).toBe(2);
    expect(babelwire.logTail(100_000)).toMatch(
      /translation engine libretranslate taken out of the chain after 5 failed requests in a row/,
    );
  });
});
