import { type Config, feedFileRoots } from "@babelwire/config";
import { createFeedConnections, createHostLimiter, createIsolatePool } from "@babelwire/ingest";
import type { ServiceParts } from "@babelwire/runtime";
import { extractFullText } from "./extract-article.ts";
import { type PollDeps, type PollStates, pollSource } from "./poll-source.ts";
import { reconcile } from "./reconcile.ts";

const RECONCILE_EVERY_MS = 5 * 60_000;

/** The ingestor polls feeds, and keeps queues and database in step (schedules, pending work). */
export function ingestorService(
  runtime: Omit<PollDeps, "hostLimiter" | "connections" | "pollStates" | "polling" | "fileRoots" | "isolate"> & {
    config: Pick<Config, "FEED_FILES_DIR">;
  },
): ServiceParts {
  const deps = {
    ...runtime,
    fileRoots: feedFileRoots(runtime.config),
    hostLimiter: createHostLimiter(),
    connections: createFeedConnections(),
    pollStates: new Map() as PollStates,
    polling: new Set<string>(),
    // Its workers start with the first large body or page, not with the service.
    isolate: createIsolatePool(),
  };
  return {
    handlers: {
      poll: (payload) => pollSource(deps, payload),
      extract: (payload, job) => extractFullText(deps, payload, job),
    },
    async afterStart() {
      const run = () =>
        reconcile(deps.db, deps.queues).then(
          (counts) => deps.logger.info(counts, "reconciled queues with the database"),
          (error: unknown) => deps.logger.error({ err: error }, "reconcile failed"),
        );
      await run();
      const timer = setInterval(run, RECONCILE_EVERY_MS);
      timer.unref();
      return async () => {
        clearInterval(timer);
        deps.connections.close();
        await deps.isolate.close();
      };
    },
  };
}
