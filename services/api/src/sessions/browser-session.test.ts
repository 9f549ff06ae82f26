import { createPartner, createToken } from "@babelwire/db";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiApp, buildApp } from "../app.ts";
import { SESSION_COOKIE } from "./browser-session.ts";

let runtime: Runtime;
/** Behind a proxy at 127.0.0.1 that TRUST_PROXY names. */
let proxied: ApiApp;
/** Reached directly: X-Forwarded-Proto from anyone is ignored. */
let direct: ApiApp;
let admin: string;
let editor: string;
let partner: string;

beforeAll(async () => {
  runtime = await openRuntime(testConfig({ TRUST_PROXY: "127.0.0.1" }), "browser-session-test");
  proxied = await buildApp(runtime);
  direct = await buildApp({ ...runtime, config: { ...runtime.config, TRUST_PROXY: [] } });
  admin = (await createToken(runtime.db, { role: "admin" })).token;
  editor = (await createToken(runtime.db, { role: "editor", label: "Ana editor" })).token;
  const outlet = await createPartner(runtime.db, { name: "Diario", languages: ["es"] });
  partner = (await createToken(runtime.db, { role: "partner", partnerId: outlet.id })).token;
});

afterAll(async () => {
  await proxied?.close();
  await direct?.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

const FORM = { "content-type": "application/x-www-form-urlencoded" };

function logIn(app: ApiApp, path: string, token: string, headers: Record<string, string> = {}) {
  return app.inject({
    method: "POST",
    url: path,
    headers: { ...FORM, ...headers },
    payload: new URLSearchParams({ token }).toString(),
  });
}

function cookieOf(setCookie: string | string[] | number | undefined): string {
  const header = String(Array.isArray(setCookie) ? setCookie[0] : setCookie);
  const value = header.split(";")[0] ?? "";
  if (!value.startsWith(`${SESSION_COOKIE}=`)) throw new Error(`no session cookie in ${header}`);
  return value;
}

describe("logging in to the desk", () => {
  it("shows the login form to a browser without a session", async () => {
    const page = await direct.inject({ method: "GET", url: "/desk" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('action="/desk/login"');
    expect(page.body).toContain('name="token"');
  });

  it("asks in the browser's language", async () => {
    const page = await direct.inject({ method: "GET", url: "/desk", headers: { "accept-language": "uk,en;q=0.5" } });
    expect(page.body).toContain('<html lang="uk">');
    expect(page.body).toContain("Увійти");
    const refused = await direct.inject({
      method: "POST",
      url: "/desk/login",
      headers: { ...FORM, "accept-language": "es-ES" },
      payload: new URLSearchParams({ token: partner }).toString(),
    });
    expect(refused.body).toContain("token de cliente");
  });

  it("trades an editor token for an HttpOnly, strict session cookie and a 303 to /desk", async () => {
    const login = await logIn(direct, "/desk/login", editor);
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe("/desk");
    const setCookie = String(login.headers["set-cookie"]);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(editor);
    const cookie = cookieOf(login.headers["set-cookie"]);
    const page = await direct.inject({ method: "GET", url: "/desk", headers: { cookie } });
    expect(page.body).toContain("Ana editor");
    expect(page.body).toMatch(/\/desk\/assets\/[0-9a-f]{12}\/desk\.js/);
    // The page's script reads the public API with the same cookie.
    const review = await direct.inject({ method: "GET", url: "/v1/review", headers: { cookie } });
    expect(review.statusCode).toBe(200);
  });

  it.each([
    ["a partner token", () => partner, 403],
    ["an unknown token", () => "bw_not-a-real-token-at-all", 401],
  ])("gives %s the form again with a message, and no cookie", async (_name, token, status) => {
    const login = await logIn(direct, "/desk/login", token());
    expect(login.statusCode).toBe(status);
    expect(login.headers["set-cookie"]).toBeUndefined();
    expect(login.body).toContain('action="/desk/login"');
    expect(login.body).toContain('role="alert"');
  });

  it("ends the session on the server at logout: the old cookie opens nothing", async () => {
    const cookie = cookieOf((await logIn(direct, "/desk/login", editor)).headers["set-cookie"]);
    const logout = await direct.inject({ method: "POST", url: "/desk/logout", headers: { cookie } });
    expect(logout.statusCode).toBe(303);
    expect(String(logout.headers["set-cookie"])).toMatch(/Max-Age=0/);
    expect((await direct.inject({ method: "GET", url: "/v1/review", headers: { cookie } })).statusCode).toBe(401);
    expect((await direct.inject({ method: "GET", url: "/desk", headers: { cookie } })).body).toContain(
      'action="/desk/login"',
    );
  });

  it("takes writes with the cookie only from the page's own origin", async () => {
    const cookie = cookieOf((await logIn(direct, "/desk/login", editor)).headers["set-cookie"]);
    const write = (origin?: string) =>
      direct.inject({
        method: "PUT",
        url: "/v1/glossary/en/es",
        headers: { cookie, "content-type": "application/json", host: "desk.example", ...(origin && { origin }) },
        payload: { term: "Verkhovna Rada", translation: "Rada Suprema" },
      });
    expect((await write("https://evil.example")).statusCode).toBe(403);
    expect((await write()).statusCode).toBe(403);
    expect((await write("http://desk.example")).statusCode).toBe(200);
  });

  it("shares the session with the queue dashboard: an admin's opens it, an editor's does not", async () => {
    const adminCookie = cookieOf((await logIn(direct, "/desk/login", admin)).headers["set-cookie"]);
    const board = await direct.inject({
      method: "GET",
      url: "/admin/queues/api/queues",
      headers: { cookie: adminCookie },
    });
    expect(board.statusCode).toBe(200);
    const editorCookie = cookieOf((await logIn(direct, "/desk/login", editor)).headers["set-cookie"]);
    const refused = await direct.inject({
      method: "GET",
      url: "/admin/queues/api/queues",
      headers: { cookie: editorCookie },
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe("the Secure flag follows how the request came", () => {
  const pages: Array<[string, () => string]> = [
    ["/desk/login", () => editor],
    ["/admin/queues/login", () => admin],
  ];

  it.each(pages)("%s over plain http: no Secure, so a LAN address keeps the cookie", async (path, token) => {
    const login = await logIn(proxied, path, token());
    expect(login.statusCode).toBe(303);
    expect(String(login.headers["set-cookie"])).not.toMatch(/Secure/);
  });

  it.each(pages)("%s through a trusted proxy that says https: Secure", async (path, token) => {
    const login = await logIn(proxied, path, token(), { "x-forwarded-proto": "https" });
    expect(login.statusCode).toBe(303);
    expect(String(login.headers["set-cookie"])).toMatch(/; Secure/);
  });

  it.each(pages)("%s with X-Forwarded-Proto from an untrusted peer: no Secure", async (path, token) => {
    const login = await logIn(direct, path, token(), { "x-forwarded-proto": "https" });
    expect(login.statusCode).toBe(303);
    expect(String(login.headers["set-cookie"])).not.toMatch(/Secure/);
  });
});
