import { randomBytes } from "node:crypto";
import { sha256Hex } from "@babelwire/core";
import { type Db, findLiveTokenById, type TokenRow } from "@babelwire/db";
import { escapeHtmlAttribute } from "@babelwire/html";
import type { RedisClient } from "@babelwire/queue";
import type { FastifyRequest } from "fastify";

/** One cookie for every browser page (the editors' desk, the queue dashboard). */
export const SESSION_COOKIE = "bw_session";
/** A browser stays logged in for a working shift; then the token is asked for again. */
export const SESSION_SECONDS = 8 * 3600;

/**
 * Browser sessions live in Redis, not in the cookie: the cookie holds only a random id, Redis
 * holds the token's row id under the id's SHA-256. So any API process behind a load balancer
 * knows the session, a revoked token ends its sessions on the next request, logging out ends it
 * on the server, and neither the token nor anything that grants access without Redis ever
 * reaches the browser.
 */
export interface SessionStore {
  create(tokenId: string): Promise<string>;
  tokenIdOf(sessionId: string): Promise<string | null>;
  end(sessionId: string): Promise<void>;
}

export function createSessionStore(redis: RedisClient, prefix: string): SessionStore {
  const key = (sessionId: string) => `${prefix}:browser-session:${sha256Hex(sessionId)}`;
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

export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=") || undefined;
  }
  return undefined;
}

/** The live token behind the request's session cookie, if any. */
export async function sessionToken(
  db: Db,
  sessions: SessionStore,
  request: FastifyRequest,
): Promise<TokenRow | undefined> {
  const sessionId = cookieValue(request, SESSION_COOKIE);
  if (!sessionId) return undefined;
  const tokenId = await sessions.tokenIdOf(sessionId);
  return tokenId ? findLiveTokenById(db, tokenId) : undefined;
}

/**
 * HttpOnly and SameSite=Strict: scripts cannot read it, other sites cannot make a browser send
 * it. Secure only when the request came over https, directly or as a trusted proxy says
 * (Fastify's `request.protocol` honours X-Forwarded-Proto only from TRUST_PROXY): a browser
 * drops a Secure cookie set over plain http on a LAN address, and nobody could log in there.
 */
export function sessionCookie(request: FastifyRequest, value: string, maxAge: number): string {
  const secure = request.protocol === "https" ? "; Secure" : "";
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly${secure}; SameSite=Strict`;
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() : undefined;
}

export interface LoginPage {
  /** Where the form posts. */
  action: string;
  title: string;
  /** One sentence: who the page is for and what token it takes. */
  intro: string;
  label: string;
  /** The page's language and its words for the rest; English when left out. */
  lang?: string;
  stay?: string;
  button?: string;
}

/** The login form both browser pages show; the token is posted once and never kept by the page. */
export function loginPageHtml(page: LoginPage, message?: string): string {
  return `<!doctype html>
<html lang="${escapeHtmlAttribute(page.lang ?? "en")}"><head><meta charset="utf-8"><title>${escapeHtmlAttribute(page.title)}: log in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:15vh auto;padding:0 1rem;color:#1d2330}
input,button{font:inherit;width:100%;box-sizing:border-box;margin:.4rem 0;padding:.55rem}
button{background:#1f4ea8;color:#fff;border:0;border-radius:4px;cursor:pointer}
p.error{color:#a0001c;font-weight:600}</style></head>
<body><main><h1>${escapeHtmlAttribute(page.title)}</h1>
<p>${escapeHtmlAttribute(page.intro)} ${escapeHtmlAttribute(page.stay ?? `This browser stays logged in for ${SESSION_SECONDS / 3600} hours.`)}</p>
${message ? `<p class="error" role="alert">${escapeHtmlAttribute(message)}</p>` : ""}
<form method="post" action="${page.action}">
<label for="token">${escapeHtmlAttribute(page.label)}</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">${escapeHtmlAttribute(page.button ?? "Log in")}</button>
</form></main></body></html>`;
}
