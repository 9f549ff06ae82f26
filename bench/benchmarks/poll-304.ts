import { createSource } from "@babelwire/db";
import { ingestorService, type PollOutcome } from "@babelwire/ingestor";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { startNotModifiedServer } from "../fixtures/not-modified-server.ts";
import type { Benchmark } from "../harness.ts";

const POLLS = 1000;
const ROUNDS = 3;

/** CPU time of this process (user + system) per call, in ms. */
async function cpuPerCall(calls: number, work: () => Promise<void>): Promise<{ cpuMs: number; wallMs: number }> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  for (let index = 0; index < calls; index++) await work();
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuMs: (cpu.user + cpu.system) / 1000 / calls, wallMs: (performance.now() - wallBefore) / calls };
}

export const poll304: Benchmark = {
  name: "poll-304",
  unit: "ms CPU/poll",
  goal: { of: "value", op: "<", target: 2 },
  rounds: ROUNDS,
  warmup: true,
  async setup() {
    const server = await startNotModifiedServer();
    const runtime: Runtime = await openRuntime(testConfig(), "bench");
    const source = await createSource(runtime.db, { url: server.feedUrl, language: "en", targets: ["es"] });
    // The poll handler as the ingestor wires it: its host limiter and kept-alive connections included.
    const service = ingestorService(runtime);
    const handle = service.handlers.poll;
    if (handle === undefined) throw new Error("poll-304: the ingestor has no poll handler");
    const job = { id: "bench", attempt: 1, maxAttempts: 1 };
    const poll = async (expected: string) => {
      const result = (await handle({ sourceId: source.id, force: true }, job)) as PollOutcome;
      if (result.outcome !== expected) throw new Error(`poll-304: expected ${expected}, got ${JSON.stringify(result)}`);
    };
    // The first poll stores the item and the ETag; every later one is a conditional request.
    await poll("fetched");
    const serverMs: number[] = [];
    const wallMs: number[] = [];
    const notes = [
      `${POLLS} polls a round through the ingestor's poll handler (force: true): conditional GET over loopback (kept-alive connection), one guarded recordPollSuccess on PGlite in memory (the source as the last 304 left it is remembered, so no getSource); this process only`,
    ];
    return {
      notes,
      async ours() {
        const serverBefore = await server.cpuMicros();
        const measured = await cpuPerCall(POLLS, () => poll("not_modified"));
        serverMs.push((await server.cpuMicros()) - serverBefore);
        wallMs.push(measured.wallMs);
        return measured.cpuMs;
      },
      async close() {
        const perPoll = serverMs.slice(-ROUNDS).map((micros) => micros / 1000 / POLLS);
        notes.push(
          `not counted: the 304 server, a child process, ${perPoll.map((ms) => ms.toFixed(3)).join(" / ")} ms CPU/poll; Redis, untouched by a 304`,
          `wall time ${wallMs
            .slice(-ROUNDS)
            .map((ms) => ms.toFixed(2))
            .join(" / ")} ms/poll`,
        );
        await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
        await runtime.close();
        await server.stop();
      },
    };
  },
};
