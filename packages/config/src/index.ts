export { type Config, ConfigError, parseConfig } from "./env.ts";
export { feedFileRoots } from "./feed-files.ts";
export { loadConfig } from "./load.ts";
