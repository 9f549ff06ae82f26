import { Worker } from "node:worker_threads";
import { CodedError } from "@babelwire/core";
import type { IsolatedStep, StepResult } from "./isolated-steps.ts";
import { workerBootstrap } from "./worker-bootstrap.ts";

/** How long one step may run before its worker is terminated. */
export const ISOLATE_TIME_LIMIT_MS = 30_000;
/** Heap for each worker: a step past it fails instead of taking the process's memory. */
export const ISOLATE_HEAP_MB = 512;
const DEFAULT_SIZE = 2;
const WORKER_BOOTSTRAP = workerBootstrap(isolateWorkerModule(new URL(import.meta.url)));

/**
 * The worker's module: beside this one in the sources (run through tsx), or the bundle's own
 * `isolate-worker.js` entry (scripts/build.mjs) when this code runs built, from the bundle's
 * root or its `chunks/` folder.
 */
export function isolateWorkerModule(here: URL): URL {
  if (here.pathname.endsWith(".ts")) return new URL("./isolate-worker.ts", here);
  return new URL(here.pathname.includes("/chunks/") ? "../isolate-worker.js" : "./isolate-worker.js", here);
}

/** The code a step fails with when it runs past its time limit; permanent, as it would again. */
export const ISOLATE_TIMEOUT = "CONTENT_TIME_LIMIT";
/** The code a step fails with when its worker dies (out of memory, above all). */
export const ISOLATE_CRASHED = "CONTENT_WORKER_FAILED";

export interface IsolatePoolOptions {
  /** Worker threads; 2 unless given. */
  size?: number;
  timeoutMs?: number;
  /** Heap for each worker in MB; ISOLATE_HEAP_MB unless given. */
  heapMb?: number;
}

/**
 * Runs the heavy steps on feed content (sanitizing large bodies, Readability) in worker threads,
 * so that however long one item takes, the event loop keeps answering health checks, the API
 * and other sources. Each step has a time limit: a step past it has its worker terminated (a
 * synchronous step cannot be interrupted any other way) and fails with CONTENT_TIME_LIMIT; the
 * next step gets a fresh worker. One pool per process, made by its composition root.
 */
export interface IsolatePool {
  run<S extends IsolatedStep>(request: S): Promise<StepResult<S>>;
  close(): Promise<void>;
}

interface Task {
  request: IsolatedStep;
  resolve: (result: never) => void;
  reject: (error: Error) => void;
}

interface Running {
  id: number;
  task: Task;
  /** Set once the step is posted to a ready worker. */
  timer: NodeJS.Timeout | null;
}

interface Slot {
  worker: Promise<Worker> | null;
  running: Running | null;
}

type WorkerMessage =
  | { ready: true }
  | { id: number; result: unknown }
  | { id: number; error: { message: string; code?: string; permanent?: boolean } };

export function createIsolatePool(options: IsolatePoolOptions = {}): IsolatePool {
  const timeoutMs = options.timeoutMs ?? ISOLATE_TIME_LIMIT_MS;
  const slots: Slot[] = Array.from({ length: options.size ?? DEFAULT_SIZE }, () => ({ worker: null, running: null }));
  const waiting: Task[] = [];
  let nextId = 0;
  let closed = false;

  function dispatch(): void {
    for (const slot of slots) {
      if (slot.running !== null) continue;
      const task = waiting.shift();
      if (task === undefined) return;
      const running: Running = { id: nextId++, task, timer: null };
      slot.running = running;
      workerOf(slot).then(
        (worker) => {
          if (slot.running !== running) return;
          // The clock starts with the step, not with the worker's start-up.
          running.timer = setTimeout(() => timeOut(slot, running.id), timeoutMs);
          worker.postMessage({ id: running.id, request: task.request });
        },
        (error: unknown) => finish(slot, running.id, crashed(error)),
      );
    }
  }

  function workerOf(slot: Slot): Promise<Worker> {
    if (slot.worker !== null) return slot.worker;
    const worker = new Worker(WORKER_BOOTSTRAP, {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? ISOLATE_HEAP_MB },
    });
    // Idle workers do not keep the process alive; a running step holds its timer, which does.
    worker.unref();
    const ready: Promise<Worker> = new Promise((resolve, reject) => {
      worker.on("message", (message: WorkerMessage) => {
        if ("ready" in message) resolve(worker);
        else if ("error" in message) finish(slot, message.id, stepError(message.error));
        else finish(slot, message.id, null, message.result);
      });
      // A worker replaced after a time-out still reports its end: only the slot's own counts.
      worker.on("error", (error) => {
        reject(error);
        if (slot.worker !== ready) return;
        slot.worker = null;
        if (slot.running !== null) finish(slot, slot.running.id, crashed(error));
      });
      worker.on("exit", (code) => {
        reject(new Error(`exit code ${code}`));
        if (slot.worker !== ready) return;
        slot.worker = null;
        if (slot.running !== null) finish(slot, slot.running.id, crashed(new Error(`exit code ${code}`)));
      });
    });
    slot.worker = ready;
    return ready;
  }

  function finish(slot: Slot, id: number, error: Error | null, result?: unknown): void {
    const running = slot.running;
    if (running === null || running.id !== id) return;
    if (running.timer !== null) clearTimeout(running.timer);
    slot.running = null;
    if (error === null) running.task.resolve(result as never);
    else running.task.reject(error);
    dispatch();
  }

  function timeOut(slot: Slot, id: number): void {
    const stuck = slot.worker;
    slot.worker = null;
    void stuck?.then((worker) => worker.terminate());
    finish(
      slot,
      id,
      new CodedError(ISOLATE_TIMEOUT, `The content took longer than ${timeoutMs} ms to process.`, { permanent: true }),
    );
  }

  return {
    run<S extends IsolatedStep>(request: S): Promise<StepResult<S>> {
      if (closed) return Promise.reject(new Error("The isolate pool is closed."));
      return new Promise<StepResult<S>>((resolve, reject) => {
        waiting.push({ request, resolve: resolve as (result: never) => void, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const task of waiting.splice(0)) task.reject(new Error("The isolate pool closed."));
      await Promise.all(
        slots.map(async (slot) => {
          if (slot.running !== null) finish(slot, slot.running.id, new Error("The isolate pool closed."));
          const worker = slot.worker;
          slot.worker = null;
          await (await worker?.catch(() => null))?.terminate();
        }),
      );
    },
  };
}

function stepError(error: { message: string; code?: string; permanent?: boolean }): Error {
  if (error.code === undefined) return new Error(error.message);
  return new CodedError(error.code, error.message, { permanent: error.permanent ?? false });
}

function crashed(error: unknown): CodedError {
  const reason = error instanceof Error ? error.message : String(error);
  return new CodedError(ISOLATE_CRASHED, `The worker processing the content failed: ${reason}.`, {
    cause: error,
    permanent: true,
  });
}
