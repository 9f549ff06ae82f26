export { CONFIG_VARIABLES, type Config, ConfigError, parseConfig } from "./env.ts";
export { loadConfig } from "./load.ts";
