import { type Config, ConfigError, loadConfig } from "@babelwire/config";
import { type JobHandlers, startWorkers, type Workers } from "@babelwire/queue";
import { openRuntime, type Runtime } from "./open-runtime.ts";
import { onShutdown } from "./shutdown.ts";
import { serveWorkerEndpoints } from "./worker-endpoints.ts";

export interface ServiceParts {
  handlers: JobHandlers;
  /** Runs once the workers are up: schedules, reconcilers. Returns a stop function. */
  afterStart?: () => Promise<(() => Promise<void>) | undefined>;
}

/** Starts the workers of one service on an open runtime; returns what stops them. */
export async function startService(runtime: Runtime, parts: ServiceParts): Promise<Workers> {
  const workers = startWorkers(parts.handlers, {
    connection: runtime.redis,
    prefix: runtime.config.QUEUE_PREFIX,
    logger: runtime.logger,
    onJobDone: (queue, outcome, seconds) => {
      runtime.metrics.observeJob(queue, outcome, seconds);
      runtime.activity.job(queue, outcome);
    },
    ...(runtime.config.TRANSLATE_CONCURRENCY !== undefined && {
      concurrency: { translate: runtime.config.TRANSLATE_CONCURRENCY },
    }),
  });
  const stopExtra = await parts.afterStart?.();
  return {
    async close() {
      await stopExtra?.();
      await workers.close();
    },
  };
}

/** Reads the configuration or exits with one line naming the bad variable. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // The CLI's one line for every failure: `babelwire: <CODE>: <message>`.
      process.stderr.write(`babelwire: CONFIG_INVALID: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** The whole `main.ts` of a worker service: configuration, runtime, workers, graceful shutdown. */
export async function runWorkerService(name: string, build: (runtime: Runtime) => ServiceParts): Promise<void> {
  const runtime = await openRuntime(configOrExit(), name);
  const service = await startService(runtime, build(runtime));
  const endpoints = await serveWorkerEndpoints(runtime);
  runtime.logger.info({ port: endpoints.port }, `${name} started`);
  onShutdown(runtime.logger, async () => {
    await service.close();
    await endpoints.close();
    await runtime.close();
  });
}
