import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "dotenv";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, ConfigError, parseConfig } from "./env.ts";

describe("parseConfig", () => {
  it("gives the defaults of docs/contract.md for an empty environment", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: "127.0.0.1",
      PUBLIC_BASE_URL: "http://127.0.0.1:3000",
      REDIS_URL: "redis://127.0.0.1:6379",
      DATA_DIR: "./data",
      TARGET_LANGUAGES: ["es", "ca"],
      TRANSLATION_ENGINES: ["apertium"],
      SUMMARIZER: "extractive",
      LOG_LEVEL: "info",
      PARTNER_RATE_LIMIT: { limit: 600, windowSeconds: 60 },
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("reads TRUST_PROXY as addresses and ranges or true, none by default, and refuses anything else", () => {
    expect(parseConfig({}).TRUST_PROXY).toEqual([]);
    expect(parseConfig({ TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,loopback" }).TRUST_PROXY).toEqual([
      "127.0.0.1",
      "10.0.0.0/8",
      "loopback",
    ]);
    expect(parseConfig({ TRUST_PROXY: "true" }).TRUST_PROXY).toBe(true);
    expect(parseConfig({ TRUST_PROXY: "false" }).TRUST_PROXY).toEqual([]);
    expect(() => parseConfig({ TRUST_PROXY: "proxy.example.org" })).toThrow(/^TRUST_PROXY: /);
  });

  it("reads PARTNER_RATE_LIMIT as requests per second, minute or hour", () => {
    expect(parseConfig({ PARTNER_RATE_LIMIT: "20/s" }).PARTNER_RATE_LIMIT).toEqual({ limit: 20, windowSeconds: 1 });
    expect(parseConfig({ PARTNER_RATE_LIMIT: "10000/hour" }).PARTNER_RATE_LIMIT).toEqual({
      limit: 10000,
      windowSeconds: 3600,
    });
    expect(parseConfig({ PARTNER_RATE_LIMIT: "120" }).PARTNER_RATE_LIMIT).toEqual({ limit: 120, windowSeconds: 60 });
  });

  it("reads TRANSLATE_CONCURRENCY as a whole number from 1", () => {
    expect(parseConfig({ TRANSLATE_CONCURRENCY: "1" }).TRANSLATE_CONCURRENCY).toBe(1);
    expect(parseConfig({}).TRANSLATE_CONCURRENCY).toBeUndefined();
    expect(() => parseConfig({ TRANSLATE_CONCURRENCY: "0" })).toThrow("TRANSLATE_CONCURRENCY:");
  });

  it("reads REDIS_CLUSTER_NODES as host:port nodes, IPv6 in brackets", () => {
    const config = parseConfig({ REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-b.internal:7001,[::1]:7002" });
    expect(config.REDIS_CLUSTER_NODES).toEqual([
      { host: "10.0.0.1", port: 7000 },
      { host: "redis-b.internal", port: 7001 },
      { host: "::1", port: 7002 },
    ]);
    expect(parseConfig({}).REDIS_CLUSTER_NODES).toBeUndefined();
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: "10.0.0.1" }, 'REDIS_CLUSTER_NODES: "10.0.0.1" is not host:port'],
    [{ REDIS_CLUSTER_NODES: "10.0.0.1:7000,b:70000" }, 'REDIS_CLUSTER_NODES: "b:70000" is not host:port'],
    [{ REDIS_CLUSTER_NODES: " , " }, "REDIS_CLUSTER_NODES: must list at least one host:port"],
    [{ REDIS_CLUSTER_NODES: "a:1", QUEUE_PREFIX: "babelwire" }, "QUEUE_PREFIX: must hold a hash tag"],
    [{ REDIS_CLUSTER_NODES: "a:1", QUEUE_PREFIX: "{}babelwire" }, "QUEUE_PREFIX: must hold a hash tag"],
  ])("refuses the cluster setting %j with one line", (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it("parses lists and treats empty values as unset", () => {
    const config = parseConfig({
      TARGET_LANGUAGES: "es, uk ,pt-BR",
      TRANSLATION_ENGINES: "deepl,apertium",
      DEEPL_API_KEY: "key:fx",
      PORT: "",
    });
    expect(config.TARGET_LANGUAGES).toEqual(["es", "uk", "pt-BR"]);
    expect(config.TRANSLATION_ENGINES).toEqual(["deepl", "apertium"]);
    expect(config.PORT).toBe(3000);
  });

  it("reads TRANSLATION_ENGINES as an ordered chain, in any case and spacing", () => {
    const config = parseConfig({
      TRANSLATION_ENGINES: " LibreTranslate , apertium,openai",
      LIBRETRANSLATE_URL: "http://127.0.0.1:5000",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
      OPENAI_MODEL: "llama3.1",
    });
    expect(config.TRANSLATION_ENGINES).toEqual(["libretranslate", "apertium", "openai"]);
  });

  it.each([
    [{ TRANSLATION_ENGINES: "apertium,babelfish" }, 'TRANSLATION_ENGINES: unknown engine "babelfish"'],
    [{ TRANSLATION_ENGINES: "apertium,apertium" }, "TRANSLATION_ENGINES: apertium is listed twice"],
    [{ TRANSLATION_ENGINES: " , " }, "TRANSLATION_ENGINES: must name at least one"],
    [{ TRANSLATION_ENGINES: "deepl" }, "DEEPL_API_KEY: required when TRANSLATION_ENGINES includes deepl"],
    [{ TRANSLATION_ENGINES: "apertium,libretranslate" }, "LIBRETRANSLATE_URL: required"],
    [{ TRANSLATION_ENGINES: "openai", OPENAI_API_KEY: "sk-x" }, "OPENAI_MODEL: required"],
    [{ TRANSLATION_ENGINES: "openai", OPENAI_MODEL: "gpt-4o-mini" }, "OPENAI_API_KEY: required"],
    [{ TRANSLATION_ENGINES: "google" }, "GOOGLE_API_KEY: required when TRANSLATION_ENGINES includes google"],
    [{ SUMMARIZER: "openai" }, "OPENAI_MODEL: required when SUMMARIZER is openai"],
  ])("stops on the engine chain %j with one line naming the variable", (env, start) => {
    let caught: unknown;
    try {
      parseConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message.startsWith(start)).toBe(true);
    expect((caught as Error).message).not.toContain("\n");
  });

  it.each([
    ["PORT", "70000"],
    ["PORT", "abc"],
    ["REDIS_URL", "http://localhost"],
    ["DATABASE_URL", "mysql://x"],
    ["TARGET_LANGUAGES", "spanish!"],
    ["TRANSLATION_ENGINES", "babelfish"],
    ["LOG_LEVEL", "loud"],
    ["ADMIN_TOKEN", "short"],
    ["METRICS_TOKEN", "short"],
    ["APERTIUM_APY_URL", "not a url"],
    ["PARTNER_RATE_LIMIT", "0/min"],
    ["PARTNER_RATE_LIMIT", "600/fortnight"],
    ["PARTNER_RATE_LIMIT", "lots"],
  ])("refuses %s=%s with one line naming the variable", (name, value) => {
    let caught: unknown;
    try {
      parseConfig({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as Error).message;
    expect(message.startsWith(`${name}:`)).toBe(true);
    expect(message).not.toContain("\n");
  });

  it("refuses HOST=0.0.0.0 without PUBLIC_BASE_URL, asking for it in one line", () => {
    expect(() => parseConfig({ HOST: "0.0.0.0" })).toThrow(ConfigError);
    expect(() => parseConfig({ HOST: "0.0.0.0" })).toThrow(/^PUBLIC_BASE_URL: required when HOST is 0\.0\.0\.0/);
    expect(() => parseConfig({ HOST: "::" })).toThrow(/^PUBLIC_BASE_URL: /);
    expect(parseConfig({ HOST: "0.0.0.0", PUBLIC_BASE_URL: "https://wire.example.org/" }).PUBLIC_BASE_URL).toBe(
      "https://wire.example.org",
    );
  });

  it("points feeds' site link at the API docs unless PUBLIC_SITE_URL says otherwise", () => {
    expect(parseConfig({}).PUBLIC_SITE_URL).toBe("http://127.0.0.1:3000/docs");
    expect(parseConfig({ PUBLIC_SITE_URL: "https://news.example/" }).PUBLIC_SITE_URL).toBe("https://news.example/");
  });
});

describe("the documented variables", () => {
  const root = resolve(import.meta.dirname, "../../..");

  it("lists every variable in .env.example with its default", () => {
    const example = parse(readFileSync(join(root, ".env.example")));
    expect(Object.keys(example).sort()).toEqual([...CONFIG_VARIABLES].sort());
    // What .env.example gives is what an empty environment gets.
    expect(parseConfig(example)).toEqual(parseConfig({}));
  });

  it("names every variable in the README's configuration table", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Architecture"));
    for (const variable of CONFIG_VARIABLES) expect(table, variable).toContain(`\`${variable}\``);
  });
});
