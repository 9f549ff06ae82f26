import { expect } from "vitest";
import type { Babelwire } from "./babelwire.ts";
import type { FreshDatabase } from "./postgres.ts";
import { until } from "./until.ts";

export const LANGUAGES = ["es", "ca"] as const;

/**
 * Adds an English feed translated into both languages, published without review. `check: false`
 * skips the read at the door, for feeds whose hostility is what the poller is tested against.
 */
export async function addNewsSource(babelwire: Babelwire, feedUrl: string, options = { check: true }): Promise<string> {
  const response = await babelwire.api(`/v1/sources${options.check ? "" : "?check=false"}`, {
    method: "POST",
    body: JSON.stringify({
      url: feedUrl,
      name: "Faults wire",
      language: "en",
      targets: [...LANGUAGES],
      review: "auto",
      fullText: "never",
      interval: "1h",
    }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Translations by status, such as { published: 12, translating: 2, queued: 40 }. */
export async function translationStatuses(database: FreshDatabase): Promise<Record<string, number>> {
  const rows = await database.rows<{ status: string; n: number }>(
    "select status, count(*)::int as n from translations group by status",
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

export async function publishedCount(database: FreshDatabase): Promise<number> {
  return (await translationStatuses(database)).published ?? 0;
}

/**
 * Waits until at least `published` translations are out and one is in an engine: the moment to
 * strike, with work on every side of it (done, running, queued). Returns the statuses then.
 */
export function workInFlight(babelwire: Babelwire, database: FreshDatabase, published: number) {
  return until(
    `${published} translations published and one in progress`,
    async () => {
      babelwire.assertAlive();
      const statuses = await translationStatuses(database);
      return (statuses.published ?? 0) >= published && (statuses.translating ?? 0) >= 1 ? statuses : undefined;
    },
    { timeoutMs: 120_000, everyMs: 100, last: () => babelwire.logTail() },
  );
}

/** Waits until `count` translations are published; `before` describes the fault for a failure's message. */
export async function allPublished(babelwire: Babelwire, database: FreshDatabase, count: number, before: string) {
  let statuses: Record<string, number> = {};
  try {
    await until(
      `all ${count} translations published`,
      async () => {
        babelwire.assertAlive();
        statuses = await translationStatuses(database);
        return statuses.published === count ? true : undefined;
      },
      { timeoutMs: 240_000, everyMs: 1000, last: () => `${JSON.stringify(statuses)} (${before})` },
    );
  } catch (error) {
    // What held the rest back: their state, QA flags, engine error and history.
    const stuck = await database.rows(
      `select a.title, t.lang, t.status, t.engine, t.qa, t.error_code, t.error_message,
              (select json_agg(json_build_object('action', e.action, 'to', e.to_status, 'actor', e.actor) order by e.at)
                 from translation_events e where e.translation_id = t.id) as events
         from translations t join articles a on a.id = t.article_id where t.status <> 'published'`,
    );
    throw new Error(`${(error as Error).message}\nnot published: ${JSON.stringify(stuck)}\n${babelwire.logTail()}`);
  }
}

interface JsonFeed {
  items: Array<{ id: string; url: string; title: string }>;
}

/**
 * Every one of the `items` stories is published exactly once in every language: in the partner
 * feed (one entry per story, no two entries alike) and in the database (one published
 * translation per story and language, each published by a single transition).
 */
export async function expectEachStoryPublishedOnce(babelwire: Babelwire, database: FreshDatabase, items: number) {
  for (const lang of LANGUAGES) {
    const response = await babelwire.api(`/v1/feeds/${lang}.json?limit=100`);
    expect(response.status).toBe(200);
    const feed = (await response.json()) as JsonFeed;
    const stories = feed.items.map((item) => item.url).sort();
    expect(stories).toHaveLength(items);
    expect(new Set(stories).size).toBe(items);
    expect(new Set(feed.items.map((item) => item.id)).size).toBe(items);
    const expected = Array.from({ length: items }, (_, index) => `/stories/${index + 1}`).sort();
    expect(stories.map((url) => new URL(url).pathname).sort()).toEqual(expected);
  }
  const rows = await database.rows<{ lang: string; stories: number; published: number; rows: number }>(
    `select t.lang, count(distinct t.article_id)::int as stories,
            count(*) filter (where t.status = 'published')::int as published, count(*)::int as rows
       from translations t group by t.lang order by t.lang`,
  );
  expect(rows).toEqual([...LANGUAGES].sort().map((lang) => ({ lang, stories: items, published: items, rows: items })));
  // Summaries are work too: none may be lost with the fault.
  const articles = await database.rows<{ n: number; summarized: number }>(
    "select count(*)::int as n, count(abstract)::int as summarized from articles",
  );
  expect(articles[0]).toEqual({ n: items, summarized: items });
  // A translation published twice would carry two publish transitions in its history.
  const republished = await database.rows<{ translation_id: string; n: number }>(
    `select translation_id, count(*)::int as n from translation_events
      where action = 'publish' group by translation_id having count(*) <> 1`,
  );
  expect(republished).toEqual([]);
}
