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

type EngineName = (typeof ENGINES)[number];

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

/** Every variable of CONTRACT.md's configuration table, validated once at start. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  PUBLIC_BASE_URL: optionalUrl,
  /** The page feeds name as their site (RSS channel link, Atom alternate, JSON Feed home_page_url). */
  PUBLIC_SITE_URL: optionalUrl,
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default("redis://127.0.0.1:6379"),
  DATA_DIR: z.string().min(1).default("./data"),
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
  /** Cloud Translation v2 (CONTRACT.md names none; these follow the other engines' pattern). */
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
  /** Requests each partner token may make per window, counted in Redis across every API process. */
  PARTNER_RATE_LIMIT: rateLimit.default({ limit: 600, windowSeconds: 60 }),
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
