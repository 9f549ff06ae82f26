import { runWorkerService } from "@babelwire/runtime";
import { publisherService } from "./handlers.ts";

await runWorkerService("publisher", (runtime) => publisherService(runtime));
