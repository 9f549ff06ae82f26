import { parentPort } from "node:worker_threads";
import { type IsolatedStep, runStep } from "./isolated-steps.ts";

// A worker thread of the isolate pool: runs one step at a time and answers with its result or
// its error's message (an Error does not survive postMessage with its class).
parentPort?.on("message", ({ id, request }: { id: number; request: IsolatedStep }) => {
  try {
    parentPort?.postMessage({ id, result: runStep(request) });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
