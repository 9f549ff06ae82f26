import { runWorkerService } from "@babelwire/runtime";
import { createApertiumLexicon, createEngines } from "@babelwire/translate";
import { translatorService } from "./handlers.ts";

await runWorkerService("translator", (runtime) =>
  translatorService({
    ...runtime,
    lexicon: createApertiumLexicon(),
    engines: createEngines(runtime.config, {
      observer: runtime.metrics,
      alerts: runtime.logger,
      // Several translator processes may drive one engine account: its rate and circuit are shared.
      shared: {
        store: { eval: (script, keys, args) => runtime.redis.eval(script, keys.length, ...keys, ...args) },
        prefix: runtime.config.QUEUE_PREFIX,
      },
    }),
  }),
);
