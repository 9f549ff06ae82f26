import { Worker } from "node:worker_threads";
import { workerBootstrap } from "../src/isolate/worker-bootstrap.ts";
import type { PipelineJob, PipelineOutcome } from "./pipeline.ts";

const WORKER_BOOTSTRAP = workerBootstrap(new URL("./pipeline-worker.ts", import.meta.url));

interface Pending {
  id: number;
  resolve: (outcome: PipelineOutcome) => void;
  timer: NodeJS.Timeout;
}

type WorkerMessage = { ready: true } | { id: number; outcome: PipelineOutcome };

/**
 * Runs pipeline jobs one at a time in a worker thread, each under a time limit. Parsing is
 * synchronous, so a timer in the same thread could never fire during a hang: the worker is
 * terminated instead, the job reported as timed out and a fresh worker started for the next.
 */
export class GuardedRunner {
  private worker: Promise<Worker> | null = null;
  private pending: Pending | null = null;
  private nextId = 0;

  constructor(private readonly timeoutMs: number) {}

  async run(job: PipelineJob): Promise<PipelineOutcome> {
    if (this.pending !== null) throw new Error("GuardedRunner runs one job at a time");
    const worker = await this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.timeOut(), this.timeoutMs);
      this.pending = { id, resolve, timer };
      worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await (await worker)?.terminate();
  }

  private ensureWorker(): Promise<Worker> {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(WORKER_BOOTSTRAP, { eval: true });
    const ready = new Promise<Worker>((resolve, reject) => {
      worker.on("message", (message: WorkerMessage) => {
        if ("ready" in message) resolve(worker);
        else this.settle(message.id, message.outcome);
      });
      worker.on("error", (error) => {
        reject(error);
        this.fail(ready, `worker error: ${error.message}`);
      });
      worker.on("exit", (code) => this.fail(ready, `worker exited with code ${code}`));
    });
    this.worker = ready;
    return ready;
  }

  private settle(id: number, outcome: PipelineOutcome): void {
    const pending = this.pending;
    if (pending === null || pending.id !== id) return;
    clearTimeout(pending.timer);
    this.pending = null;
    pending.resolve(outcome);
  }

  private timeOut(): void {
    const pending = this.pending;
    if (pending === null) return;
    const worker = this.worker;
    this.worker = null;
    void worker?.then((stuck) => stuck.terminate());
    this.pending = null;
    pending.resolve({ status: "timed-out", message: `no result within ${this.timeoutMs} ms` });
  }

  /** A worker that died mid-job: the job is a crash, and the next job gets a fresh worker. */
  private fail(worker: Promise<Worker>, message: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const pending = this.pending;
    if (pending === null) return;
    clearTimeout(pending.timer);
    this.pending = null;
    pending.resolve({ status: "crashed", message });
  }
}
