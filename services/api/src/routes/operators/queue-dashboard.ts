import type { TokenRow } from "@babelwire/db";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { roleToken } from "../../plugins/auth.ts";
import {
  bearerToken,
  cookieValue,
  loginPageHtml,
  SESSION_COOKIE,
  SESSION_SECONDS,
  type SessionStore,
  sessionCookie,
  sessionToken,
} from "../../sessions/browser-session.ts";

export const DASHBOARD_PATH = "/admin/queues";
const LOGIN_PATH = `${DASHBOARD_PATH}/login`;
const LOGOUT_PATH = `${DASHBOARD_PATH}/logout`;

function loginPage(message?: string): string {
  return loginPageHtml(
    {
      action: LOGIN_PATH,
      title: "Babelwire queues",
      intro: "The queue dashboard is for administrators. Paste an admin token once.",
      label: "Admin token",
    },
    message,
  );
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

/** Who is asking: a session cookie from the login form, or an admin bearer token (curl, scripts). */
async function dashboardPrincipal(
  app: FastifyInstance,
  request: FastifyRequest,
  deps: ApiDeps,
  sessions: SessionStore,
): Promise<TokenRow | undefined> {
  const token = bearerToken(request);
  if (token) return app.tokenCache.find(token);
  return sessionToken(deps.db, sessions, request);
}

/** Trades an admin token for a session cookie; any other token logs nobody in. */
async function logIn(
  app: FastifyInstance,
  token: string | undefined,
  sessions: SessionStore,
  request: FastifyRequest,
  reply: FastifyReply,
) {
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
  return reply
    .header("set-cookie", sessionCookie(request, sessionId, SESSION_SECONDS))
    .redirect(`${DASHBOARD_PATH}/`, 303);
}

const html = (description: string) => ({ description, content: { "text/html": { schema: { type: "string" } } } });

const loginSchema = {
  tags: ["operators"],
  summary: "Log a browser in to the queue dashboard with an admin token",
  description:
    "Form field `token` (or `Authorization: Bearer`). An admin token gets a 303 to /admin/queues/ " +
    "with an HttpOnly, SameSite=Strict session cookie shared with /desk (8 hours; the token itself is never " +
    "in it), Secure when the request came over https (directly or through one of TRUST_PROXY).",
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
    return logIn(app, token, sessions, request, reply);
  });
  // A link with ?token= (printed by `npm start`) logs in once and lands on the clean URL.
  app.get<{ Querystring: { token?: string } }>(`${DASHBOARD_PATH}/login/link`, hidden, async (request, reply) =>
    logIn(app, request.query.token, sessions, request, reply),
  );
  // A plain link in the board's menu, so a GET; SameSite=Strict keeps other sites from sending it.
  app.get(LOGOUT_PATH, hidden, async (request, reply) => {
    const sessionId = cookieValue(request, SESSION_COOKIE);
    if (sessionId) await sessions.end(sessionId);
    return reply.header("set-cookie", sessionCookie(request, "", 0)).redirect(LOGIN_PATH, 303);
  });
}

/**
 * Bull Board over every Babelwire queue at /admin/queues, for admins only. Every request under
 * the path, static files included, passes the session check below; the login and logout routes
 * are the only ones outside it.
 */
export async function queueDashboardRoutes(app: FastifyInstance, deps: ApiDeps) {
  const sessions = app.sessions;
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
