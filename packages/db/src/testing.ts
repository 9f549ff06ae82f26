import { randomBytes } from "node:crypto";
import type { NormalizedArticle } from "@babelwire/core";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { type Db, openDatabase } from "./connect.ts";
import { migrate } from "./migrations.ts";
import { ensureTranslation, transitionTranslation } from "./translations.ts";

export interface TestDatabase {
  name: string;
  db: Db;
  close(): Promise<void>;
}

/**
 * The databases every database test runs against: embedded PGlite always, and a throw-away
 * database on the PostgreSQL server at TEST_DATABASE_URL when that is set.
 */
export function testDatabaseKinds(): string[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export async function openTestDatabase(kind: string): Promise<TestDatabase> {
  if (kind === "pglite") {
    const db = await openDatabase({ url: "memory://", dataDir: "." });
    await migrate(db);
    return { name: kind, db, close: () => db.destroy() };
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set");
  const dbName = `bw_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${dbName}`;
  const db = await openDatabase({ url: url.toString(), dataDir: "." });
  await migrate(db);
  return {
    name: kind,
    db,
    async close() {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${dbName} with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * Runs `tests` once on each database kind (testDatabaseKinds, or those of them `only` keeps),
 * each run on a database of its own, opened before its tests and closed after them; `db()`
 * gives it to a test.
 */
export function describeOnDatabases(
  name: string,
  tests: (db: () => Db) => void,
  only: (kind: string) => boolean = () => true,
): void {
  describe.each(testDatabaseKinds().filter(only))(`${name} on %s`, (kind) => {
    let opened: TestDatabase | undefined;
    beforeAll(async () => {
      opened = await openTestDatabase(kind);
    });
    afterAll(async () => {
      await opened?.close();
    });
    tests(() => {
      if (!opened) throw new Error(`the ${kind} test database is not open`);
      return opened.db;
    });
  });
}

/**
 * A plain English article as a feed would give it, for tests that need one in the database:
 * every field filled the same way (the URL and content hash from the GUID), any overridable.
 */
export function testArticle(guid: string, overrides: Partial<NormalizedArticle> = {}): NormalizedArticle {
  return {
    guid,
    url: `https://example.org/${guid}`,
    title: "Title",
    summary: "Lead",
    contentHtml: "<p>Body</p>",
    contentText: "Body",
    language: "en",
    publishedAt: "2026-11-01T10:00:00.000Z",
    updatedAt: "2026-11-01T10:00:00.000Z",
    authors: [],
    categories: [],
    media: [],
    contentHash: guid,
    ...overrides,
  };
}

/**
 * Publishes a `lang` translation of a stored article through the states the services take it
 * (queued → translating → in_review → approved → published), with `title` as its text.
 * Returns the translation's id.
 */
export async function publishTestTranslation(db: Db, articleId: string, lang: string, title: string): Promise<string> {
  const row = await ensureTranslation(db, articleId, lang, 1);
  const machine = { title, summary: `${title}: lead`, contentHtml: `<p>${title}</p>`, segments: [], qa: [] };
  await transitionTranslation(db, row.id, "start", { actor: "system" });
  await transitionTranslation(db, row.id, "finish", { actor: "system", machine: { ...machine, engine: "apertium" } });
  await transitionTranslation(db, row.id, "approve", { actor: "system" });
  await transitionTranslation(db, row.id, "publish", { actor: "system" });
  return row.id;
}
