export {
  CONFIG_VARIABLES,
  type Config,
  ConfigError,
  type EngineName,
  hashTagOf,
  parseConfig,
  type RedisNode,
} from "./env.ts";
export { feedFileRoots } from "./feed-files.ts";
export { loadConfig } from "./load.ts";
