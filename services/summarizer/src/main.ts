import { runWorkerService } from "@babelwire/runtime";
import { summarizerService } from "./handlers.ts";

await runWorkerService("summarizer", (runtime) => summarizerService(runtime));
