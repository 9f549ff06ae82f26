import { createToken, listAudit, pruneAudit } from "@babelwire/db";
import type { Runtime } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../app.ts";
import { openTestApp, type TestApp } from "../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;

beforeAll(async () => {
  testApp = await openTestApp("audit-test");
  ({ runtime, app } = testApp);
});

afterAll(() => testApp?.close());

describe("the audit log", () => {
  it("writes no row per write refused without a valid token, and one per refusal of a known token", async () => {
    const before = (await listAudit(runtime.db, { limit: 1000 })).length;
    for (let i = 0; i < 50; i++) {
      const headers = i % 2 === 0 ? {} : { authorization: "Bearer bw_not_a_token_at_all_000000" };
      const response = await app.inject({ method: "POST", url: "/v1/tokens", headers, payload: { role: "admin" } });
      expect(response.statusCode).toBe(401);
    }
    expect((await listAudit(runtime.db, { limit: 1000 })).length).toBe(before);
    const editor = (await createToken(runtime.db, { role: "editor" })).token;
    const refused = await app.inject({
      method: "POST",
      url: "/v1/tokens",
      headers: { authorization: `Bearer ${editor}` },
      payload: { role: "admin" },
    });
    expect(refused.statusCode).toBe(403);
    const rows = await listAudit(runtime.db, { limit: 1000 });
    expect(rows.length).toBe(before + 1);
    expect(rows[0]).toMatchObject({ route: "/v1/tokens", status: 403, role: "editor" });
  });

  it("deletes entries older than the retention", async () => {
    const old = new Date(Date.now() - 400 * 86_400_000);
    await runtime.db
      .insertInto("audit_log")
      .values({
        id: crypto.randomUUID(),
        at: old,
        actor: "x",
        role: null,
        method: "POST",
        route: "/old",
        target: null,
        status: 200,
        request_id: "r",
      })
      .execute();
    expect(await pruneAudit(runtime.db, 365)).toBe(1);
    expect((await listAudit(runtime.db, { limit: 1000 })).some((row) => row.route === "/old")).toBe(false);
  });
});
