import { isLanguageTag } from "@babelwire/core";
import { z } from "zod";

const ENGINES = ["apertium", "libretranslate", "deepl", "google", "openai"] as const;

const languageList = z
  .string()
  .transform((text) =>
    text
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .refine((tags) => tags.length > 0 && tags.every(isLanguageTag), "must be a comma-separated list of BCP 47 tags");

/** One engine of the fallback chain, as TRANSLATION_ENGINES names it. */
export type EngineName = (typeof ENGINES)[number];

/** `apertium,libretranslate`: the ordered fallback chain, each engine once. */
const engineList = z.string().transform((text, context) => {
  const names = text
    .split(",")
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.find((name) => !(ENGINES as readonly string[]).includes(name));
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  const problem = unknown
    ? `unknown engine "${unknown}"; the engines are ${ENGINES.join(", ")}`
    : repeated
      ? `${repeated} is listed twice`
      : names.length === 0
        ? `must name at least one of ${ENGINES.join(", ")}`
        : undefined;
  if (problem) {
    context.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return names as EngineName[];
});

/** The variables an engine cannot start without, checked only when the chain names it. */
const ENGINE_NEEDS: Record<EngineName, Array<{ variable: string; unless?: string }>> = {
  apertium: [],
  deepl: [{ variable: "DEEPL_API_KEY" }],
  libretranslate: [{ variable: "LIBRETRANSLATE_URL" }],
  openai: [{ variable: "OPENAI_MODEL" }, { variable: "OPENAI_API_KEY", unless: "OPENAI_BASE_URL" }],
  google: [{ variable: "GOOGLE_API_KEY" }],
};

const optionalUrl = z.url().optional();

const RATE_UNITS: Record<string, number> = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 };

/** `600/min` (also `/s`, `/h`; a bare number is per minute) as a count per window of seconds. */
const rateLimit = z.string().transform((text, context) => {
  const match = /^\s*(\d{1,9})\s*(?:\/\s*([a-z]+))?\s*$/i.exec(text);
  const windowSeconds = RATE_UNITS[(match?.[2] ?? "min").toLowerCase()];
  const limit = Number(match?.[1]);
  if (!match || windowSeconds === undefined || limit < 1) {
    context.addIssue({ code: "custom", message: "must be requests per window, such as 600/min, 20/s or 10000/h" });
    return z.NEVER;
  }
  return { limit, windowSeconds };
});

/**
 * `127.0.0.1,10.0.0.0/8`: the proxies whose X-Forwarded-Proto and X-Forwarded-For are believed
 * (addresses or CIDR ranges; `loopback`, `linklocal`, `uniquelocal` too), or `true` for any
 * peer (only when nothing but the proxy can reach the API). Unset or `false`: none is.
 */
const proxyList = z.string().transform((text, context): string[] | true => {
  const value = text.trim().toLowerCase();
  if (value === "true") return true;
  if (value === "false") return [];
  const entries = text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const bad = entries.find((entry) => !/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(entry));
  if (bad) {
    context.addIssue({ code: "custom", message: `"${bad}" is not an address, a CIDR range, loopback or true` });
    return z.NEVER;
  }
  return entries;
});

/** One Redis Cluster node as ioredis's `Cluster` takes it. */
export interface RedisNode {
  host: string;
  port: number;
}

/**
 * `10.0.0.1:6379,10.0.0.2:6379,[::1]:7000`: the nodes a Redis Cluster client starts from (it
 * learns the rest from them), each `host:port` with the port required, since a cluster node has
 * no conventional one.
 */
const redisNodes = z.string().transform((text, context) => {
  const parts = text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const nodes: RedisNode[] = [];
  for (const part of parts) {
    const match = /^(\[[0-9a-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/i.exec(part);
    const port = Number(match?.[2]);
    if (!match?.[1] || port < 1 || port > 65535) {
      context.addIssue({ code: "custom", message: `"${part}" is not host:port (such as 10.0.0.1:6379)` });
      return z.NEVER;
    }
    nodes.push({ host: match[1].replace(/^\[|\]$/g, ""), port });
  }
  if (nodes.length === 0) {
    context.addIssue({ code: "custom", message: "must list at least one host:port" });
    return z.NEVER;
  }
  return nodes;
});

/** `{babelwire}`: a non-empty hash tag, the part of a key Redis Cluster hashes to pick its slot. */
export function hashTagOf(prefix: string): string | undefined {
  const open = prefix.indexOf("{");
  const close = open < 0 ? -1 : prefix.indexOf("}", open + 1);
  return close > open + 1 ? prefix.slice(open + 1, close) : undefined;
}

/** Every variable of docs/contract.md's configuration table, validated once at start. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  PUBLIC_BASE_URL: optionalUrl,
  /** The page feeds name as their site (RSS channel link, Atom alternate, JSON Feed home_page_url). */
  PUBLIC_SITE_URL: optionalUrl,
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default("redis://127.0.0.1:6379"),
  /** When set, Redis is a cluster reached through these nodes, and REDIS_URL is not used. */
  REDIS_CLUSTER_NODES: redisNodes.optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  /** The only folder (besides the project's examples) that file sources may read. */
  FEED_FILES_DIR: z.string().min(1).default("./feeds"),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|memory:\/\/)/, "must be postgres://… or memory://")
    .optional(),
  TARGET_LANGUAGES: languageList.default(["es", "ca"]),
  TRANSLATION_ENGINES: engineList.default(["apertium"]),
  APERTIUM_APY_URL: optionalUrl,
  DEEPL_API_KEY: z.string().optional(),
  DEEPL_API_URL: optionalUrl,
  LIBRETRANSLATE_URL: optionalUrl,
  LIBRETRANSLATE_API_KEY: z.string().optional(),
  /** Cloud Translation v2, its variables named after the other engines' pattern. */
  GOOGLE_API_KEY: z.string().optional(),
  GOOGLE_TRANSLATE_URL: optionalUrl,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_MODEL: z.string().optional(),
  SUMMARIZER: z.enum(["extractive", "openai"]).default("extractive"),
  ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** When set, `/metrics` asks for `Authorization: Bearer <METRICS_TOKEN>`; unset, it is public. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `pretty` (one readable line each) or `json`; unset: pretty on a terminal, JSON otherwise. */
  LOG_FORMAT: z.enum(["pretty", "json"]).optional(),
  QUEUE_PREFIX: z.string().min(1).default("{babelwire}"),
  /**
   * Translate jobs one process runs at once (the catalog's 2 when unset). With a local engine such
   * as Apertium a job takes a core: one per core, and more processes where there are more cores.
   */
  TRANSLATE_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /** Requests each partner token may make per window, counted in Redis across every API process. */
  PARTNER_RATE_LIMIT: rateLimit.default({ limit: 600, windowSeconds: 60 }),
  /** Connections the API holds at once; more are refused, so idle clients cannot take every file descriptor. */
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  /** A client's time to send its request headers (and a silent connection's time to send anything). */
  HTTP_HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  /** How long an idle kept-alive connection stays open; behind a load balancer, longer than its idle timeout. */
  HTTP_KEEP_ALIVE_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  /** Days the audit log keeps an entry; older ones are deleted hourly by the API. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  /** Proxies trusted to say a request came over https (the browser-session cookie's Secure flag). */
  TRUST_PROXY: proxyList.default([]),
});

/** Every variable the configuration reads: `.env.example` and the README's table list each one. */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

export type Config = Omit<z.output<typeof schema>, "PUBLIC_BASE_URL" | "PUBLIC_SITE_URL"> & {
  PUBLIC_BASE_URL: string;
  PUBLIC_SITE_URL: string;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Treats empty strings as unset, so `FOO=` in a .env file means "use the default". */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== "") result[key] = value;
  }
  return result;
}

/** The first variable an engine of TRANSLATION_ENGINES needs and does not have, as a ConfigError line. */
function missingEngineVariable(config: z.output<typeof schema>): string | undefined {
  const values: Record<string, unknown> = config;
  for (const engine of config.TRANSLATION_ENGINES) {
    for (const { variable, unless } of ENGINE_NEEDS[engine]) {
      if (values[variable] === undefined && (!unless || values[unless] === undefined)) {
        return `${variable}: required when TRANSLATION_ENGINES includes ${engine}${unless ? ` (unless ${unless} is set)` : ""}`;
      }
    }
  }
  if (config.SUMMARIZER === "openai" && config.OPENAI_MODEL === undefined) {
    return "OPENAI_MODEL: required when SUMMARIZER is openai";
  }
  return undefined;
}

/** Listening on every address: fine for a server, but no URL to put in a feed's links. */
const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * Validates the environment. Throws a ConfigError whose message is one line naming
 * the first bad variable and what is wrong with it.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(withoutEmpty(env));
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    throw new ConfigError(`${name}: ${issue?.message ?? "invalid"}`);
  }
  const config = result.data;
  const missing = missingEngineVariable(config);
  if (missing) throw new ConfigError(missing);
  // BullMQ's scripts and ours touch several keys at once; in a cluster they must share a slot,
  // which only a hash tag in the prefix guarantees.
  if (config.REDIS_CLUSTER_NODES && hashTagOf(config.QUEUE_PREFIX) === undefined) {
    throw new ConfigError(
      "QUEUE_PREFIX: must hold a hash tag such as {babelwire} when REDIS_CLUSTER_NODES is set, so each script's keys share a slot",
    );
  }
  if (config.PUBLIC_BASE_URL === undefined && WILDCARD_HOSTS.has(config.HOST)) {
    throw new ConfigError(
      `PUBLIC_BASE_URL: required when HOST is ${config.HOST} (every address), since http://${config.HOST}:${config.PORT} is no address a partner can open; set it to the URL partners use, such as https://wire.example.org`,
    );
  }
  const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
  const base = (config.PUBLIC_BASE_URL ?? `http://${host}:${config.PORT}`).replace(/\/$/, "");
  // A feed's site link must open a page: the API docs are one this process always serves.
  return { ...config, PUBLIC_BASE_URL: base, PUBLIC_SITE_URL: config.PUBLIC_SITE_URL ?? `${base}/docs` };
}
