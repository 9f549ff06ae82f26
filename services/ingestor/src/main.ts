import { runWorkerService } from "@babelwire/runtime";
import { ingestorService } from "./handlers.ts";

await runWorkerService("ingestor", (runtime) => ingestorService(runtime));
