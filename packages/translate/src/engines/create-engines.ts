import type { Config } from "@babelwire/config";
import { CodedError } from "@babelwire/core";
import { createApertiumEngine } from "./apertium.ts";
import type { TranslationEngine } from "./engine.ts";

/** Builds the engine chain named by TRANSLATION_ENGINES, in its order. */
export function createEngines(config: Config): TranslationEngine[] {
  return config.TRANSLATION_ENGINES.map((name) => {
    switch (name) {
      case "apertium":
        return createApertiumEngine({ ...(config.APERTIUM_APY_URL && { apyUrl: config.APERTIUM_APY_URL }) });
      default:
        throw new CodedError("ENGINE_NOT_IMPLEMENTED", `TRANSLATION_ENGINES: the ${name} engine is not available yet`, {
          permanent: true,
        });
    }
  });
}
