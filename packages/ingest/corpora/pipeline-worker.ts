import { parentPort } from "node:worker_threads";
import { type PipelineJob, runPipeline } from "./pipeline.ts";

// Runs in a worker thread so that the suite can terminate a document that hangs the parser.
parentPort?.on("message", async (message: { id: number; job: PipelineJob }) => {
  parentPort?.postMessage({ id: message.id, outcome: await runPipeline(message.job) });
});
