import { randomUUID } from "node:crypto";
import { CodedError } from "@babelwire/core";
import { createToken } from "@babelwire/db";
import { QUEUE_NAMES } from "@babelwire/queue";
import { type Runtime, startService } from "@babelwire/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { SESSION_COOKIE } from "../../sessions/browser-session.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let admin: string;
let editor: string;

beforeAll(async () => {
  testApp = await openTestApp("dashboard-test");
  ({ runtime, app } = testApp);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
  editor = (await createToken(runtime.db, { role: "editor" })).token;
});

afterAll(() => testApp?.close());

async function logIn(token: string) {
  return app.inject({
    method: "POST",
    url: "/admin/queues/login",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ token }).toString(),
  });
}

function sessionCookieOf(setCookie: string | string[] | number | undefined): string {
  const header = String(Array.isArray(setCookie) ? setCookie[0] : setCookie);
  const value = header.split(";")[0];
  if (!value?.startsWith(`${SESSION_COOKIE}=`)) throw new Error(`no session cookie in ${header}`);
  return value;
}

describe("queue dashboard at /admin/queues", () => {
  it("refuses the dashboard and its API without a session: a login form for pages, 401 JSON for the API", async () => {
    const page = await app.inject({ method: "GET", url: "/admin/queues" });
    expect(page.statusCode).toBe(401);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.body).toContain('action="/admin/queues/login"');
    // Nothing was tried yet, so nothing is wrong: the form, without an error.
    expect(page.body).not.toContain('role="alert"');
    const stale = await app.inject({
      method: "GET",
      url: "/admin/queues",
      headers: { cookie: `${SESSION_COOKIE}=ended` },
    });
    expect(stale.body).toContain('role="alert"');

    const api = await app.inject({ method: "GET", url: "/admin/queues/api/queues" });
    expect(api.statusCode).toBe(401);
    expect(api.json().error.code).toBe("unauthorized");
  });

  it("logs an admin in once with an http-only, strict cookie that never holds the token", async () => {
    const login = await logIn(admin);
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe("/admin/queues/");
    const setCookie = String(login.headers["set-cookie"]);
    expect(setCookie).toMatch(/HttpOnly/);
    // Plain http with no trusted proxy: a Secure cookie would be dropped by the browser on a LAN address.
    expect(setCookie).not.toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toContain(admin);
    const cookie = sessionCookieOf(login.headers["set-cookie"]);

    const api = await app.inject({ method: "GET", url: "/admin/queues/api/queues", headers: { cookie } });
    expect(api.statusCode).toBe(200);
    const names = (api.json().queues as Array<{ name: string }>).map((queue) => queue.name).sort();
    expect(names).toEqual([...QUEUE_NAMES].sort());

    const page = await app.inject({ method: "GET", url: "/admin/queues", headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Babelwire");
    // The page's scripts (relative to <base href="/admin/queues/">) load with the same cookie, not without it.
    expect(page.body).toContain('<base href="/admin/queues/"');
    const script = `/admin/queues/${/src="(static\/js\/main[^"]+\.js)"/.exec(page.body)?.[1]}`;
    expect((await app.inject({ method: "GET", url: script, headers: { cookie } })).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: script })).statusCode).toBe(401);
  });

  it("answers the dashboard's API to an admin bearer token and refuses an editor token with 403", async () => {
    const withAdmin = await app.inject({
      method: "GET",
      url: "/admin/queues/api/queues",
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(withAdmin.statusCode).toBe(200);
    const withEditor = await app.inject({
      method: "GET",
      url: "/admin/queues/api/queues",
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(withEditor.statusCode).toBe(403);
    expect(withEditor.json().error.code).toBe("forbidden");
  });

  it("gives no session to an editor token or an unknown one", async () => {
    const asEditor = await logIn(editor);
    expect(asEditor.statusCode).toBe(403);
    expect(asEditor.headers["set-cookie"]).toBeUndefined();
    const unknown = await logIn("bw_not-a-real-token");
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers["set-cookie"]).toBeUndefined();
    const forged = await app.inject({
      method: "GET",
      url: "/admin/queues/api/queues",
      headers: { cookie: `${SESSION_COOKIE}=forged-session-id` },
    });
    expect(forged.statusCode).toBe(401);
  });

  it("trades a ?token= link for the cookie and lands on the clean URL", async () => {
    const link = await app.inject({
      method: "GET",
      url: `/admin/queues/login/link?token=${encodeURIComponent(admin)}`,
    });
    expect(link.statusCode).toBe(303);
    expect(link.headers.location).toBe("/admin/queues/");
    const cookie = sessionCookieOf(link.headers["set-cookie"]);
    expect((await app.inject({ method: "GET", url: "/admin/queues/api/queues", headers: { cookie } })).statusCode).toBe(
      200,
    );
  });

  it("trades an admin bearer header for the cookie too, for scripts, and refuses an editor's", async () => {
    const withHeader = await app.inject({
      method: "POST",
      url: "/admin/queues/login",
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(withHeader.statusCode).toBe(303);
    const cookie = sessionCookieOf(withHeader.headers["set-cookie"]);
    expect((await app.inject({ method: "GET", url: "/admin/queues/api/queues", headers: { cookie } })).statusCode).toBe(
      200,
    );
    const asEditor = await app.inject({
      method: "POST",
      url: "/admin/queues/login",
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(asEditor.statusCode).toBe(403);
  });

  it("ends the session on logout and when the admin token is revoked", async () => {
    const first = sessionCookieOf((await logIn(admin)).headers["set-cookie"]);
    const logout = await app.inject({ method: "GET", url: "/admin/queues/logout", headers: { cookie: first } });
    expect(logout.statusCode).toBe(303);
    expect(String(logout.headers["set-cookie"])).toMatch(/Max-Age=0/);
    expect(
      (await app.inject({ method: "GET", url: "/admin/queues/api/queues", headers: { cookie: first } })).statusCode,
    ).toBe(401);

    const other = await createToken(runtime.db, { role: "admin" });
    const second = sessionCookieOf((await logIn(other.token)).headers["set-cookie"]);
    await runtime.db.updateTable("tokens").set({ revoked_at: new Date() }).where("id", "=", other.row.id).execute();
    expect(
      (await app.inject({ method: "GET", url: "/admin/queues/api/queues", headers: { cookie: second } })).statusCode,
    ).toBe(401);
  });

  it("moves a failed job back to waiting from the dashboard's retry button", async () => {
    const service = await startService(runtime, {
      handlers: {
        translate: async () => {
          throw new CodedError("ENGINE_QUOTA_EXCEEDED", "the engine's quota is spent", { permanent: true });
        },
      },
    });
    await runtime.queues.enqueueTranslate({ articleId: randomUUID(), articleVersion: 1, lang: "es" });
    const deadline = Date.now() + 10_000;
    while ((await runtime.queues.status("translate")).failed < 1) {
      if (Date.now() > deadline) throw new Error("the job never failed");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await service.close();

    const cookie = sessionCookieOf((await logIn(admin)).headers["set-cookie"]);
    const retry = await app.inject({
      method: "PUT",
      url: "/admin/queues/api/queues/translate/retry/failed",
      headers: { cookie },
    });
    expect(retry.statusCode).toBe(200);
    const after = await runtime.queues.status("translate");
    expect(after.failed).toBe(0);
    expect(after.waiting).toBe(1);
  });

  it("documents the dashboard and its login for operators, and none of Bull Board's internal routes", async () => {
    const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    const adminPaths = Object.keys(doc.paths).filter((path) => path.startsWith("/admin/"));
    // The entry page, as Fastify registers it under the prefix (with its trailing slash), and the login.
    expect(adminPaths.sort()).toEqual(["/admin/queues/", "/admin/queues/login"]);
    expect(doc.paths["/admin/queues/"].get.tags).toEqual(["operators"]);
    expect(Object.keys(doc.paths["/admin/queues/"].get.responses)).toEqual(["200", "401", "403"]);
    expect(doc.paths["/admin/queues/login"].post.tags).toEqual(["operators"]);
    expect(doc.paths["/admin/queues/"].get["x-roles"]).toEqual(["admin"]);
    expect(doc.paths["/admin/queues/login"].post["x-roles"]).toEqual(["admin"]);
  });
});
