import { parentPort } from "node:worker_threads";
import { CodedError } from "@babelwire/core";
import { type IsolatedStep, runStep } from "./isolated-steps.ts";

// A worker thread of the isolate pool: runs one step at a time and answers with its result or
// its error. An Error loses its class in postMessage, so a coded one sends its code and
// whether it is permanent, for the pool to make it again (FEED_PARSE stays FEED_PARSE).
parentPort?.on("message", async ({ id, request }: { id: number; request: IsolatedStep }) => {
  try {
    parentPort?.postMessage({ id, result: await runStep(request) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const coded = error instanceof CodedError ? { code: error.code, permanent: error.permanent } : {};
    parentPort?.postMessage({ id, error: { message, ...coded } });
  }
});
