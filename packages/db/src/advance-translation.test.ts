import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceTranslation, claimTranslation } from "./advance-translation.ts";
import { upsertArticle } from "./articles.ts";
import type { Db } from "./connect.ts";
import { createSource } from "./sources.ts";
import { openTestDatabase, type TestDatabase, testArticle, testDatabaseKinds } from "./testing.ts";
import {
  ensureTranslation,
  getTranslation,
  listTranslationEvents,
  type TranslationRow,
  transitionTranslation,
} from "./translations.ts";

const machine = {
  title: "Título",
  summary: "Entradilla",
  contentHtml: "<p>Cuerpo</p>",
  segments: [{ id: "s1", source: "<p>Body</p>", target: "<p>Cuerpo</p>" }],
  qa: [],
  engine: "apertium",
};

/** The columns both ways of moving a row must leave alike (ids, clocks and xids apart). */
function comparable(row: TranslationRow | undefined) {
  return {
    status: row?.status,
    version: row?.version,
    title: row?.title,
    summary: row?.summary,
    content_html: row?.content_html,
    segments: row?.segments,
    engine: row?.engine,
    machine_draft: row?.machine_draft,
    live_title: row?.live_title,
    live_summary: row?.live_summary,
    live_content_html: row?.live_content_html,
    live_version: row?.live_version,
    review_since: row?.review_since !== null,
    published_at: row?.published_at !== null,
    first_publication: row?.published_at?.getTime() === row?.live_at?.getTime(),
  };
}

async function history(db: Db, id: string) {
  return (await listTranslationEvents(db, id)).map((event) => [event.action, event.from_status, event.to_status]);
}

describe.each(testDatabaseKinds())("advanceTranslation on %s", (kind) => {
  let t: TestDatabase;
  let sourceId: string;
  beforeAll(async () => {
    t = await openTestDatabase(kind);
    sourceId = (await createSource(t.db, { url: "https://example.org/advance", targets: ["es"] })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function queued(guid: string) {
    const article = await upsertArticle(t.db, sourceId, testArticle(guid));
    return ensureTranslation(t.db, article.id, "es", 1);
  }

  it("leaves the row and the history that the same moves one transition at a time leave", async () => {
    const stepwise = await queued("stepwise");
    await transitionTranslation(t.db, stepwise.id, "start", { actor: "system" });
    await transitionTranslation(t.db, stepwise.id, "finish", { actor: "system", machine });
    await transitionTranslation(t.db, stepwise.id, "approve", { actor: "system" });
    await transitionTranslation(t.db, stepwise.id, "publish", { actor: "system" });

    const combined = await queued("combined");
    await advanceTranslation(t.db, combined.id, "queued", [{ action: "start" }]);
    await advanceTranslation(t.db, combined.id, "translating", [{ action: "finish", machine }, { action: "approve" }]);
    const published = await advanceTranslation(t.db, combined.id, "approved", [{ action: "publish" }]);

    expect(comparable(published)).toEqual(comparable(await getTranslation(t.db, stepwise.id)));
    expect(published).toMatchObject({ status: "published", live_title: "Título", live_version: 1 });
    expect(await history(t.db, combined.id)).toEqual(await history(t.db, stepwise.id));
    expect(await history(t.db, combined.id)).toEqual([
      ["start", "queued", "translating"],
      ["finish", "translating", "in_review"],
      ["approve", "in_review", "approved"],
      ["publish", "approved", "published"],
    ]);
  });

  it("moves the row once when the same steps run twice, the second run changing nothing", async () => {
    const row = await queued("twice");
    await advanceTranslation(t.db, row.id, "queued", [{ action: "start" }]);
    const steps = [{ action: "finish", machine }, { action: "approve" }] as const;
    const first = await advanceTranslation(t.db, row.id, "translating", steps);
    const second = await advanceTranslation(t.db, row.id, "translating", steps);
    expect(first?.status).toBe("approved");
    expect(second).toBeUndefined();
    expect(await getTranslation(t.db, row.id)).toEqual(first);
    expect((await history(t.db, row.id)).map(([action]) => action)).toEqual(["start", "finish", "approve"]);
  });

  it("leaves a row an editor moved meanwhile alone", async () => {
    const row = await queued("withdrawn");
    await transitionTranslation(t.db, row.id, "withdraw", { actor: "editor" });
    expect(await advanceTranslation(t.db, row.id, "queued", [{ action: "start" }])).toBeUndefined();
    expect((await getTranslation(t.db, row.id))?.status).toBe("withdrawn");
  });

  it("loses nothing when the statement dies between the row's update and its history: a retry does all of it", async () => {
    const row = await queued("dies");
    await advanceTranslation(t.db, row.id, "queued", [{ action: "start" }]);
    const before = await getTranslation(t.db, row.id);
    // The history insert fails after the update has run within the same statement.
    await sql`create function refuse_history() returns trigger language plpgsql as $$
      begin raise exception 'history refused'; end $$`.execute(t.db);
    await sql`create trigger refuse_history before insert on translation_events
      for each row execute function refuse_history()`.execute(t.db);
    const steps = [{ action: "finish", machine }, { action: "approve" }] as const;
    try {
      await expect(advanceTranslation(t.db, row.id, "translating", steps)).rejects.toThrow(/history refused/);
    } finally {
      await sql`drop trigger refuse_history on translation_events`.execute(t.db);
      await sql`drop function refuse_history()`.execute(t.db);
    }
    expect(await getTranslation(t.db, row.id)).toEqual(before);
    expect((await history(t.db, row.id)).map(([action]) => action)).toEqual(["start"]);

    const retried = await advanceTranslation(t.db, row.id, "translating", steps);
    expect(retried).toMatchObject({ status: "approved", title: "Título" });
    expect((await history(t.db, row.id)).map(([action]) => action)).toEqual(["start", "finish", "approve"]);
  });

  it("claims a startable row of this version with its start in the history, and nothing else", async () => {
    const row = await queued("claim");
    const target = { articleId: row.article_id, lang: "es", articleVersion: 1 };
    expect(await claimTranslation(t.db, { ...target, articleVersion: 2 }, {})).toBeUndefined();
    const claimed = await claimTranslation(t.db, target, { attempt: 1 });
    expect(claimed).toMatchObject({ id: row.id, status: "translating", version: row.version + 1 });
    expect(claimed).not.toHaveProperty("from_status");
    expect(await getTranslation(t.db, row.id)).toEqual(claimed);
    // A run that died after its claim is claimed again by the retry, as `start` allows.
    expect((await claimTranslation(t.db, target, { attempt: 2 }))?.status).toBe("translating");
    await advanceTranslation(t.db, row.id, "translating", [{ action: "finish", machine }]);
    expect(await claimTranslation(t.db, target, { attempt: 3 })).toBeUndefined();
    const events = await listTranslationEvents(t.db, row.id);
    expect(events.map((event) => [event.action, event.from_status, event.detail])).toEqual([
      ["start", "queued", { attempt: 1 }],
      ["start", "translating", { attempt: 2 }],
      ["finish", "translating", {}],
    ]);
  });
});
