import type { NormalizedArticle } from "@babelwire/core";
import { afterAll, describe, expect, it } from "vitest";
import { findCorporaDir } from "./corpora-dir.ts";
import { FILE_TIME_LIMIT_MS } from "./corpus-files.ts";
import { type CaseResult, runCases, useCorpusSession } from "./corpus-session.ts";
import { GuardedRunner } from "./guarded-runner.ts";
import { executableConstructs } from "./inert-html.ts";
import { payloadFeed, payloadSets } from "./xss-payloads.ts";

const root = findCorporaDir();
const FEED_URL = "https://xss.example/feed.xml";
// Payloads per feed document: one document per payload would spend most of the time on
// start-up costs; a batch that fails to parse is retried payload by payload.
const BATCH = 25;

/** Every output field that could end up in a page; HTML ones as HTML, text ones as what they would become unescaped. */
function problemsIn(articles: NormalizedArticle[]): string[] {
  return articles.flatMap((article) =>
    (["contentHtml", "title", "summary", "contentText"] as const).flatMap((field) =>
      executableConstructs(article[field]).map((problem) => `${field}: ${problem}`),
    ),
  );
}

async function checkPayloads(
  runner: GuardedRunner,
  setName: string,
  payloads: string[],
  first: number,
): Promise<CaseResult[]> {
  const bytes = new TextEncoder().encode(payloadFeed(payloads));
  const outcome = await runner.run({ kind: "bytes", bytes, contentType: "application/rss+xml", feedUrl: FEED_URL });
  if (outcome.status === "ok" && outcome.articles.length === payloads.length * 2) {
    return payloads.map((payload, index) => {
      const name = `${setName}#${first + index}`;
      const problems = problemsIn(outcome.articles.slice(index * 2, index * 2 + 2));
      if (problems.length === 0) return { name, status: "passed", detail: "inert" };
      const detail = `${JSON.stringify(payload.slice(0, 120))} → ${problems.join(", ")}`;
      // Markup in the HTML body is never excused; text that spells markup may be, by name in POLICY.md.
      const onlyText = problems.every((problem) => !problem.startsWith("contentHtml"));
      return { name, status: "failed", detail, ...(onlyText ? { listedAs: name } : {}) };
    });
  }
  if (payloads.length > 1) {
    const results: CaseResult[] = [];
    for (const [index, payload] of payloads.entries())
      results.push(...(await checkPayloads(runner, setName, [payload], first + index)));
    return results;
  }
  const name = `${setName}#${first}`;
  // A document that cannot be read yields no article, and so nothing that could run.
  if (outcome.status === "refused")
    return [{ name, status: "passed", detail: `refused (${outcome.code}): nothing published` }];
  return [{ name, status: "failed", detail: `${JSON.stringify(payloads[0]?.slice(0, 120))} → ${outcome.status}` }];
}

describe.skipIf(root === null)("XSS payloads in title, description and content:encoded", () => {
  const runner = new GuardedRunner(FILE_TIME_LIMIT_MS);
  afterAll(() => runner.close());

  for (const set of root === null ? [] : payloadSets(root)) {
    const session = useCorpusSession(set.name);
    it(`${set.name}: all ${set.payloads.length} payloads come out with no executable construct`, async () => {
      const batches = Array.from({ length: Math.ceil(set.payloads.length / BATCH) }, (_, index) => index * BATCH);
      const results: CaseResult[] = [];
      for (const start of batches) {
        results.push(...(await checkPayloads(runner, set.name, set.payloads.slice(start, start + BATCH), start)));
      }
      const failures = await runCases(session, results, (result) => result);
      if (process.env.CORPORA_VERBOSE) console.log(session.failures.join("\n"));
      expect(failures).toEqual([]);
      expect(session.staleListings(), "listed in POLICY.md but inert now").toEqual([]);
    });
  }
});
