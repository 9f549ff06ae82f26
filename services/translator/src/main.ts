import { runWorkerService } from "@babelwire/runtime";
import { createEngines } from "@babelwire/translate";
import { translatorService } from "./handlers.ts";

await runWorkerService("translator", (runtime) =>
  translatorService({
    ...runtime,
    engines: createEngines(runtime.config, { observer: runtime.metrics, alerts: runtime.logger }),
  }),
);
