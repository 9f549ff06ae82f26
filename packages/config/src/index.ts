export { type Config, ConfigError, hashTagOf, parseConfig, type RedisNode } from "./env.ts";
export { loadConfig } from "./load.ts";
