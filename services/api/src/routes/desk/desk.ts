import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { escapeHtmlAttribute } from "@babelwire/html";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { preferredLanguage } from "../../i18n/localize-error.ts";
import {
  bearerToken,
  cookieValue,
  loginPageHtml,
  SESSION_COOKIE,
  SESSION_SECONDS,
  sessionCookie,
  sessionToken,
} from "../../sessions/browser-session.ts";

export const DESK_PATH = "/desk";
const LOGIN_PATH = `${DESK_PATH}/login`;
const LOGOUT_PATH = `${DESK_PATH}/logout`;

interface Asset {
  type: string;
  body: Buffer;
  /** The same bytes gzipped once at start: the desk's first load is mostly these files. */
  gzip: Buffer;
}

const require = createRequire(import.meta.url);

/** i18next's UMD build: its package exports do not name it, so it is found beside package.json. */
function i18nextBrowserBuild(): string {
  return join(dirname(require.resolve("i18next/package.json")), "dist", "umd", "i18next.min.js");
}

/**
 * The desk's files, read once: the page's own script and styles (no build step) and i18next's
 * browser build from node_modules. All are served from one path holding a hash of their
 * contents, so a browser may cache them for good and a new release is a new path.
 */
function loadAssets(): { version: string; files: Map<string, Asset> } {
  const here = new URL(import.meta.url);
  // Built (scripts/build.mjs), the files sit in the bundle's `desk/` folder, i18next's among them.
  const built = !here.pathname.endsWith(".ts");
  const bundled = new URL(here.pathname.includes("/chunks/") ? "../desk/" : "./desk/", here);
  const own = (name: string) =>
    readFileSync(fileURLToPath(built ? new URL(name, bundled) : new URL(`../../../desk/${name}`, here)));
  const asset = (type: string, body: Buffer): Asset => ({ type, body, gzip: gzipSync(body, { level: 9 }) });
  const script = "text/javascript; charset=utf-8";
  const files = new Map<string, Asset>([
    ["desk.js", asset(script, own("desk.js"))],
    ["desk.css", asset("text/css; charset=utf-8", own("desk.css"))],
    ["i18n.js", asset(script, own("i18n.js"))],
    ["i18next.js", asset(script, built ? own("i18next.js") : readFileSync(i18nextBrowserBuild()))],
  ]);
  const hash = createHash("sha256");
  for (const [name, file] of files) hash.update(name).update(file.body);
  return { version: hash.digest("hex").slice(0, 12), files };
}

/** No script or style from anywhere else, no framing, no inline code. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/** The login form's words in the desk's languages, chosen by Accept-Language. */
const LOGIN_WORDS = {
  en: {
    intro: "The editors' desk: review and correct translations. Paste your editor token once.",
    label: "Editor token",
    stay: `This browser stays logged in for ${SESSION_SECONDS / 3600} hours.`,
    button: "Log in",
    unknown: "That token is unknown or revoked.",
    partner: "A partner token cannot open the desk; it needs an editor token.",
  },
  es: {
    intro: "La mesa de edición: revisa y corrige traducciones. Pega tu token de editor una vez.",
    label: "Token de editor",
    stay: `Este navegador mantiene la sesión ${SESSION_SECONDS / 3600} horas.`,
    button: "Entrar",
    unknown: "Ese token no existe o fue revocado.",
    partner: "Un token de cliente no abre la mesa; hace falta un token de editor.",
  },
  uk: {
    intro: "Редакторський стіл: перевіряйте й виправляйте переклади. Вставте свій токен редактора один раз.",
    label: "Токен редактора",
    stay: `Цей браузер залишатиметься в системі ${SESSION_SECONDS / 3600} годин.`,
    button: "Увійти",
    unknown: "Такий токен невідомий або відкликаний.",
    partner: "Токен партнера не відкриває стіл; потрібен токен редактора.",
  },
} as const;

type LoginLanguage = keyof typeof LOGIN_WORDS;

function loginLanguage(request: FastifyRequest): LoginLanguage {
  const lang = preferredLanguage(request.headers["accept-language"]);
  return lang in LOGIN_WORDS ? (lang as LoginLanguage) : "en";
}

function loginPage(lang: LoginLanguage, message?: "unknown" | "partner"): string {
  const words = LOGIN_WORDS[lang];
  return loginPageHtml(
    {
      action: LOGIN_PATH,
      title: "Babelwire desk",
      intro: words.intro,
      label: words.label,
      lang,
      stay: words.stay,
      button: words.button,
    },
    message && words[message],
  );
}

function deskPage(version: string, label: string, role: string): string {
  const asset = (name: string) => `${DESK_PATH}/assets/${version}/${name}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Babelwire desk</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${asset("desk.css")}">
<script src="${asset("i18next.js")}" defer></script>
<script src="${asset("i18n.js")}" defer></script>
<script src="${asset("desk.js")}" defer></script>
</head>
<body data-user="${escapeHtmlAttribute(label)}" data-role="${escapeHtmlAttribute(role)}">
<a class="skip" href="#main">Skip to content</a>
<header class="bar">
  <a class="brand" href="#/">Babelwire <span>desk</span></a>
  <nav aria-label="Desk">
    <label class="lang"><span class="visually-hidden" data-i18n="language">Language</span>
      <select id="language"><option value="en">English</option><option value="es">Español</option><option value="uk">Українська</option></select>
    </label>
    <button type="button" id="help-button" aria-keyshortcuts="?" data-i18n="keys">Keys</button>
    <span class="user">${escapeHtmlAttribute(label)}</span>
    <form method="post" action="${LOGOUT_PATH}"><button type="submit" data-i18n="logout">Log out</button></form>
  </nav>
</header>
<main id="main" tabindex="-1"><p class="loading">…</p></main>
<div id="status" role="status" aria-live="polite" class="toast" hidden></div>
<dialog id="help" aria-labelledby="help-title"></dialog>
<dialog id="reject" aria-labelledby="reject-title"></dialog>
<dialog id="glossary" aria-labelledby="glossary-title"></dialog>
</body></html>`;
}

function formBodies(app: FastifyInstance) {
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}

const html = (description: string) => ({ description, content: { "text/html": { schema: { type: "string" } } } });

const loginSchema = {
  tags: ["editors"],
  summary: "Log a browser in to the editors' desk with an editor or admin token",
  description:
    "Form field `token`. An editor or admin token gets a 303 to /desk with an HttpOnly, SameSite=Strict " +
    "session cookie (8 hours; the token is never in it), Secure when the request came over https directly " +
    "or through one of TRUST_PROXY. The same session opens /admin/queues for an admin. A partner " +
    "token or an unknown one gets the form again, and no cookie.",
  "x-roles": ["admin", "editor"],
  response: {
    303: { description: "Logged in: the session cookie is set, Location: /desk" },
    401: html("Unknown or revoked token: the form again"),
    403: html("A partner token: the form again"),
  },
};

/**
 * The editors' desk at /desk: a login form, then one page whose script reads and writes only
 * through the public /v1 API with the session cookie.
 */
export async function deskRoutes(app: FastifyInstance, deps: ApiDeps) {
  const { version, files } = loadAssets();
  const sessions = app.sessions;
  formBodies(app);

  const sendHtml = (reply: FastifyReply, status: number, body: string) =>
    reply
      .status(status)
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .header("content-security-policy", CSP)
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "same-origin")
      .send(body);

  app.get(
    DESK_PATH,
    {
      schema: {
        tags: ["editors"],
        summary: "The editors' desk: the review queue and a bilingual post-editing view",
        description: "With a session from POST /desk/login the page; without one the login form.",
        response: { 200: html("The desk, or its login form") },
      },
    },
    async (request, reply) => {
      const row = await sessionToken(deps.db, sessions, request);
      if (!row || row.role === "partner") return sendHtml(reply, 200, loginPage(loginLanguage(request)));
      return sendHtml(reply, 200, deskPage(version, row.label ?? `${row.role} ${row.id.slice(0, 8)}`, row.role));
    },
  );

  app.post<{ Body: { token?: unknown } | undefined }>(LOGIN_PATH, { schema: loginSchema }, async (request, reply) => {
    const field = request.body?.token;
    const token = typeof field === "string" && field.trim() ? field.trim() : bearerToken(request);
    const row = token ? await app.tokenCache.find(token) : undefined;
    if (!row) return sendHtml(reply, 401, loginPage(loginLanguage(request), "unknown"));
    if (row.role === "partner") return sendHtml(reply, 403, loginPage(loginLanguage(request), "partner"));
    const sessionId = await sessions.create(row.id);
    // 303: the browser follows with a GET, and the token stays out of its history.
    return reply.header("set-cookie", sessionCookie(request, sessionId, SESSION_SECONDS)).redirect(DESK_PATH, 303);
  });

  app.post(LOGOUT_PATH, { schema: { hide: true } }, async (request: FastifyRequest, reply) => {
    const sessionId = cookieValue(request, SESSION_COOKIE);
    if (sessionId) await sessions.end(sessionId);
    return reply.header("set-cookie", sessionCookie(request, "", 0)).redirect(DESK_PATH, 303);
  });

  app.get<{ Params: { version: string; file: string } }>(
    `${DESK_PATH}/assets/:version/:file`,
    { schema: { hide: true } },
    async (request, reply) => {
      const file = files.get(request.params.file);
      if (!file || request.params.version !== version) {
        return reply.status(404).send({ error: { code: "not_found", message: "No such desk file." } });
      }
      const gzip = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
      if (gzip) reply.header("content-encoding", "gzip");
      return reply
        .type(file.type)
        .header("vary", "accept-encoding")
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("x-content-type-options", "nosniff")
        .send(gzip ? file.gzip : file.body);
    },
  );
}
