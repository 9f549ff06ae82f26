import { existsSync, readFileSync } from "node:fs";
import { parse } from "dotenv";
import { type Config, parseConfig } from "./env.ts";

/**
 * The one place that reads `process.env` (and `.env` when present; the real environment wins).
 */
export function loadConfig(overrides: Record<string, string | undefined> = {}): Config {
  const fromFile = existsSync(".env") ? parse(readFileSync(".env")) : {};
  return parseConfig({ ...fromFile, ...process.env, ...overrides });
}
