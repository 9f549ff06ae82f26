import { randomBytes } from "node:crypto";
import { sha256Hex } from "@babelwire/core";
import type { Db, TokenRow } from "@babelwire/db";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import type { ApiDeps } from "../../deps.ts";
import { roleToken } from "../../plugins/auth.ts";

export const DASHBOARD_PATH = "/admin/queues";
const LOGIN_PATH = `${DASHBOARD_PATH}/login`;
const LOGOUT_PATH = `${DASHBOARD_PATH}/logout`;
export const SESSION_COOKIE = "bw_dashboard";
/** A browser stays logged in for a working shift; then the admin token is asked for again. */
const SESSION_SECONDS = 8 * 3600;

/**
 * Dashboard sessions live in Redis, not in the cookie: the cookie holds only a random id, Redis
 * holds the admin token's row id under the id's SHA-256. So any API process behind a load
 * balancer knows the session, a revoked token ends its sessions on the next request, and
 * neither the token nor anything that grants access without Redis ever reaches the browser.
 */
interface SessionStore {
  create(tokenId: string): Promise<string>;
  tokenIdOf(sessionId: string): Promise<string | null>;
  end(sessionId: string): Promise<void>;
}

function sessionStore(redis: Redis, prefix: string): SessionStore {
  const key = (sessionId: string) => `${prefix}:dashboard-session:${sha256Hex(sessionId)}`;
  return {
    async create(tokenId) {
      const sessionId = randomBytes(32).toString("base64url");
      await redis.set(key(sessionId), tokenId, "EX", SESSION_SECONDS);
      return sessionId;
    },
    tokenIdOf: (sessionId) => redis.get(key(sessionId)),
    async end(sessionId) {
      await redis.del(key(sessionId));
    },
  };
}

/** A token row by id, only while it is live (not revoked, not expired). */
async function liveTokenById(db: Db, id: string): Promise<TokenRow | undefined> {
  const row = await db.selectFrom("tokens").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row || row.revoked_at) return undefined;
  if (row.expires_at && row.expires_at.getTime() <= Date.now()) return undefined;
  return row;
}

function cookieValue(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=") || undefined;
  }
  return undefined;
}

/**
 * Secure, HttpOnly, SameSite=Strict and scoped to the dashboard's path: scripts cannot read it,
 * other sites cannot send it, and the rest of the API never sees it. Browsers keep Secure
 * cookies on https:// and on http://localhost.
 */
function sessionCookie(value: string, maxAge: number): string {
  return `${SESSION_COOKIE}=${value}; Path=${DASHBOARD_PATH}; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=Strict`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function loginPage(message?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Babelwire queues: log in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:15vh auto;padding:0 1rem}
input,button{font:inherit;width:100%;box-sizing:border-box;margin:.4rem 0;padding:.5rem}
p.error{color:#b00020}</style></head>
<body><h1>Babelwire queues</h1>
<p>The queue dashboard is for administrators. Paste an admin token once; this browser stays
logged in for ${SESSION_SECONDS / 3600} hours.</p>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ""}
<form method="post" action="${LOGIN_PATH}">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button>
</form></body></html>`;
}

/**
 * HTML pages get the login form; the dashboard's JSON API gets the contract's error shape. Sent
 * here rather than thrown: Bull Board's own error handler would make any thrown error a 500.
 */
function refuse(request: FastifyRequest, reply: FastifyReply, status: 401 | 403, message: string) {
  if (request.method === "GET" && !request.url.startsWith(`${DASHBOARD_PATH}/api/`)) {
    // Before any attempt (no session, no token) there is nothing wrong to report: the form alone.
    const attempted = bearerToken(request) !== undefined || cookieValue(request, SESSION_COOKIE) !== undefined;
    const error = status === 401 && !attempted ? undefined : message;
    return reply.status(status).type("text/html; charset=utf-8").send(loginPage(error));
  }
  const code = status === 401 ? "unauthorized" : "forbidden";
  return reply.status(status).send({ error: { code, message } });
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() : undefined;
}

/** Who is asking: a session cookie from the login form, or an admin bearer token (curl, scripts). */
async function dashboardPrincipal(
  app: FastifyInstance,
  request: FastifyRequest,
  deps: ApiDeps,
  sessions: SessionStore,
): Promise<TokenRow | undefined> {
  const token = bearerToken(request);
  if (token) return app.tokenCache.find(token);
  const sessionId = cookieValue(request, SESSION_COOKIE);
  if (!sessionId) return undefined;
  const tokenId = await sessions.tokenIdOf(sessionId);
  return tokenId ? liveTokenById(deps.db, tokenId) : undefined;
}

/** Trades an admin token for a session cookie; any other token logs nobody in. */
async function logIn(app: FastifyInstance, token: string | undefined, sessions: SessionStore, reply: FastifyReply) {
  const row = token ? await app.tokenCache.find(token) : undefined;
  if (!row) {
    return reply.status(401).type("text/html; charset=utf-8").send(loginPage("That token is unknown or revoked."));
  }
  if (row.role !== "admin") {
    return reply
      .status(403)
      .type("text/html; charset=utf-8")
      .send(loginPage(`${roleToken(row.role)} cannot open the queue dashboard; it needs an admin token.`));
  }
  const sessionId = await sessions.create(row.id);
  // 303: the browser follows with a GET, and the token never stays in its history or address bar.
  return reply.header("set-cookie", sessionCookie(sessionId, SESSION_SECONDS)).redirect(`${DASHBOARD_PATH}/`, 303);
}

const html = (description: string) => ({ description, content: { "text/html": { schema: { type: "string" } } } });

const loginSchema = {
  tags: ["operators"],
  summary: "Log a browser in to the queue dashboard with an admin token",
  description:
    "Form field `token` (or `Authorization: Bearer`). An admin token gets a 303 to /admin/queues/ " +
    "with a Secure, HttpOnly, SameSite=Strict session cookie (8 hours; the token itself is never in it).",
  "x-roles": ["admin"],
  response: {
    303: { description: "Logged in: the session cookie is set, Location: /admin/queues/" },
    401: html("Unknown or revoked token: the form again"),
    403: html("Not an admin token: the form again"),
  },
};

/** Bull Board's own routes are hidden from the OpenAPI document; its entry page is shown, as operators meet it. */
const dashboardSchema = {
  tags: ["operators"],
  summary: "The BullMQ dashboard (Bull Board) over every queue, admins only",
  description:
    "Needs the session cookie from POST /admin/queues/login or an admin bearer token; without " +
    "either the login form is answered with 401, with a non-admin token with 403.",
  security: [{ bearer: [] }],
  "x-roles": ["admin"],
  response: { 200: html("The dashboard"), 401: html("The login form"), 403: html("The login form") },
};

async function loginRoutes(app: FastifyInstance, sessions: SessionStore) {
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  const hidden = { schema: { hide: true } };
  app.get(LOGIN_PATH, hidden, async (_request, reply) => reply.type("text/html; charset=utf-8").send(loginPage()));
  app.post<{ Body: { token?: unknown } | undefined }>(LOGIN_PATH, { schema: loginSchema }, async (request, reply) => {
    const field = request.body?.token;
    // The form's field, or a bearer header for a script that wants the cookie.
    const token = typeof field === "string" && field.trim() ? field.trim() : bearerToken(request);
    return logIn(app, token, sessions, reply);
  });
  // A link with ?token= (printed by `npm start`) logs in once and lands on the clean URL.
  app.get<{ Querystring: { token?: string } }>(`${DASHBOARD_PATH}/login/link`, hidden, async (request, reply) =>
    logIn(app, request.query.token, sessions, reply),
  );
  // A plain link in the board's menu, so a GET; SameSite=Strict keeps other sites from sending it.
  app.get(LOGOUT_PATH, hidden, async (request, reply) => {
    const sessionId = cookieValue(request, SESSION_COOKIE);
    if (sessionId) await sessions.end(sessionId);
    return reply.header("set-cookie", sessionCookie("", 0)).redirect(LOGIN_PATH, 303);
  });
}

/**
 * Bull Board over every Babelwire queue at /admin/queues, for admins only. Every request under
 * the path, static files included, passes the session check below; the login and logout routes
 * are the only ones outside it.
 */
export async function queueDashboardRoutes(app: FastifyInstance, deps: ApiDeps) {
  const sessions = sessionStore(deps.redis, deps.queues.prefix);
  await app.register(async (scope) => loginRoutes(scope, sessions));
  await app.register(async (scope) => {
    scope.addHook("onRequest", async (request, reply) => {
      const row = await dashboardPrincipal(app, request, deps, sessions);
      if (!row) return refuse(request, reply, 401, "Log in with an admin token to see the queue dashboard.");
      if (row.role !== "admin")
        return refuse(request, reply, 403, `${roleToken(row.role)} cannot open the queue dashboard.`);
    });
    scope.addHook("onRoute", (route) => {
      const entry = route.url === DASHBOARD_PATH || route.url === `${DASHBOARD_PATH}/`;
      if (entry && route.method === "GET") route.schema = dashboardSchema;
    });
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(DASHBOARD_PATH);
    createBullBoard({
      queues: deps.queues.dashboardQueues().map((queue) => new BullMQAdapter(queue)),
      serverAdapter,
      options: {
        uiConfig: {
          boardTitle: "Babelwire",
          hideDocsLink: true,
          miscLinks: [{ text: "Log out", url: LOGOUT_PATH }],
        },
      },
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  });
}
