import { createToken } from "@babelwire/db";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let admin: string;
let editor: string;

beforeAll(async () => {
  testApp = await openTestApp("source-credentials-test");
  ({ runtime, app } = testApp);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
  editor = (await createToken(runtime.db, { role: "editor" })).token;
});

afterAll(() => testApp?.close());

describe("a feed URL's credentials are write-only", () => {
  it("keeps user, password and api_key out of what editors and admins read, and out of the default name", async () => {
    const url = "https://ana:pa55word@wire.example/feed.xml?api_key=K3y0123456789&lang=en";
    const created = await app.inject({
      method: "POST",
      // Stored unread: no server answers at wire.example.
      url: "/v1/sources?check=false",
      headers: { authorization: `Bearer ${admin}` },
      payload: { url, targets: ["es"] },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    for (const token of [admin, editor]) {
      const read = await app.inject({
        method: "GET",
        url: `/v1/sources/${id}`,
        headers: { authorization: `Bearer ${token}` },
      });
      const list = await app.inject({
        method: "GET",
        url: "/v1/sources",
        headers: { authorization: `Bearer ${token}` },
      });
      for (const body of [read.body, list.body, created.body]) {
        expect(body).not.toContain("pa55word");
        expect(body).not.toContain("K3y0123456789");
      }
      expect(read.json().url).toBe("https://[redacted]@wire.example/feed.xml?api_key=[redacted]&lang=en");
    }
    // The fetcher still has the credentials it needs.
    const stored = await runtime.db
      .selectFrom("sources")
      .select(["url", "name"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(stored.url).toBe(url);
    expect(stored.name).not.toContain("pa55word");
  });
});
