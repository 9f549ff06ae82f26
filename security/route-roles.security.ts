import { randomUUID } from "node:crypto";
import { type ApiApp, buildApp } from "@babelwire/api";
import { createPartner, createSource, createToken } from "@babelwire/db";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Who may call what, as docs/contract.md ("Authentication and roles") says it: partners read published content, editors review
 * and read everything but secrets, admins do everything. Every route of the OpenAPI document
 * must match one rule here, so a new route cannot be added without deciding who may use it.
 */
type Caller = "none" | "partnerOfAnotherLanguage" | "partner" | "editor" | "admin";
const PUBLIC: string[] = [];
const PARTNER_READS = ["partner", "editor", "admin"];
const EDITORS = ["editor", "admin"];
const ADMINS = ["admin"];

const CONTRACT: Array<[method: RegExp, path: RegExp, roles: string[]]> = [
  [/GET|HEAD/, /^\/(healthz|readyz|docs.*|metrics)$/, PUBLIC],
  [/GET|HEAD/, /^\/v1\/feeds\//, PARTNER_READS],
  [/GET|HEAD/, /^\/v1\/articles(\/\{id\})?$/, PARTNER_READS],
  [/POST/, /^\/v1\/articles\/\{id\}\/(withdraw|reinstate)$/, EDITORS],
  [/.*/, /^\/v1\/(review|translations|glossary|memory)\b/, EDITORS],
  // Partners list their licensed sources (id, name, language) to use feeds' `?source=`.
  [/GET|HEAD/, /^\/v1\/sources$/, PARTNER_READS],
  [/GET|HEAD/, /^\/v1\/sources(\/\{id\}|\.opml)$/, EDITORS],
  [/POST|PATCH|DELETE|PUT/, /^\/v1\/sources\b/, ADMINS],
  [/.*/, /^\/v1\/(tokens|partners|audit|engines)\b/, ADMINS],
  [/.*/, /^\/v1\/queues\b/, ADMINS],
  [/.*/, /^\/admin\//, ADMINS],
  // The WebSub hub authenticates by the token inside hub.topic, as WebSub subscribers cannot send headers.
  [/POST/, /^\/websub\/hub$/, PUBLIC],
  [/.*/, /^\/v1\/websub\b/, ADMINS],
  // The desk's page answers everyone (without a session it is the login form); its login takes editors.
  [/GET|HEAD/, /^\/desk$/, PUBLIC],
  [/POST/, /^\/desk\/login$/, EDITORS],
];

/** Admin may do everything, whether a route lists it or not. */
function withAdmin(roles: readonly string[]): string[] {
  return roles.length === 0 ? [] : [...new Set([...roles, "admin"])].sort();
}

function contractRoles(method: string, path: string): string[] | undefined {
  return CONTRACT.find(([m, p]) => m.test(method.toUpperCase()) && p.test(path))?.[2];
}

interface Operation {
  security?: unknown[];
  "x-roles"?: string[];
}

let runtime: Runtime;
let app: ApiApp;
const tokens: Partial<Record<Caller, string>> = {};

beforeAll(async () => {
  runtime = await openRuntime(testConfig({ TARGET_LANGUAGES: "es" }), "security-test");
  app = await buildApp(runtime);
  const source = await createSource(runtime.db, { url: "https://agency.test/rss", targets: ["es", "de"] });
  const spanish = await createPartner(runtime.db, { name: "El Diario", languages: ["es"], sources: [source.id] });
  const german = await createPartner(runtime.db, { name: "Die Zeitung", languages: ["de"] });
  tokens.partner = (await createToken(runtime.db, { role: "partner", partnerId: spanish.id })).token;
  tokens.partnerOfAnotherLanguage = (await createToken(runtime.db, { role: "partner", partnerId: german.id })).token;
  tokens.editor = (await createToken(runtime.db, { role: "editor" })).token;
  tokens.admin = (await createToken(runtime.db, { role: "admin" })).token;
});

afterAll(async () => {
  await app?.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

/** A concrete URL for a documented path: ids, languages and names that exist or at least parse. */
function concrete(path: string): string {
  return path
    .replace("{id}", randomUUID())
    .replace("{lang}", "es")
    .replace("{name}", "translate")
    .replace("{from}", "en")
    .replace("{to}", "es")
    .replace(/\{[^}]+\}/g, "x")
    .concat(path.startsWith("/v1/articles") && !/withdraw|reinstate/.test(path) ? "?lang=es" : "");
}

async function call(method: string, url: string, caller: Caller) {
  const token = tokens[caller as Exclude<Caller, "none">];
  return app.inject({
    method: method.toUpperCase() as "GET",
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(["post", "put", "patch"].includes(method) && { payload: {} }),
  });
}

describe("every documented route × every kind of caller", () => {
  it("declares for each operation the roles docs/contract.md gives it, and enforces them", async () => {
    const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThan(20);
    const outcomes: string[] = [];
    for (const { path, method, operation } of operations) {
      const expected = contractRoles(method, path);
      expect(expected, `${method} ${path} is in no rule of the contract table`).toBeDefined();
      const declared = operation["x-roles"] ?? [];
      expect(withAdmin(declared), `${method} ${path} roles`).toEqual(withAdmin(expected ?? []));
      if (declared.length === 0) continue;
      const url = concrete(path);
      for (const caller of ["none", "partnerOfAnotherLanguage", "partner", "editor", "admin"] as Caller[]) {
        const response = await call(method, url, caller);
        const role = caller === "partnerOfAnotherLanguage" ? "partner" : caller;
        const allowed = role === "admin" || declared.includes(role);
        const unlicensed = caller === "partnerOfAnotherLanguage" && allowed && /\/(feeds|articles)\b/.test(path);
        const want = caller === "none" ? [401] : !allowed || unlicensed ? [403] : undefined;
        const line = `${method.toUpperCase()} ${url} as ${caller} → ${response.statusCode}`;
        outcomes.push(line);
        if (want) expect(want, line).toContain(response.statusCode);
        else {
          expect([401, 403], line).not.toContain(response.statusCode);
          expect(response.statusCode, line).toBeLessThan(500);
        }
      }
    }
    expect(outcomes.length).toBeGreaterThan(100);
  });
});
