import type { ChildProcess } from "node:child_process";
import type { AddressInfo } from "node:net";
import { type ApiApp, buildApp, ensureAdminToken } from "@babelwire/api";
import type { Config } from "@babelwire/config";
import { feedFileRoots } from "@babelwire/config";
import { ingestorService } from "@babelwire/ingestor";
import { publisherService } from "@babelwire/publisher";
import { assertEveryQueueHandled } from "@babelwire/queue";
import { openRuntime, type Runtime, type ServiceParts, startService } from "@babelwire/runtime";
import { summarizerService } from "@babelwire/summarizer";
import { createApertiumLexicon, createEngines, type TranslationEngine } from "@babelwire/translate";
import { translatorService } from "@babelwire/translator";
import { ensureRedis } from "./local-redis.ts";
import { seedSources } from "./seed-sources.ts";

export interface RunningSystem {
  runtime: Runtime;
  app: ApiApp;
  /** The API's base URL as it listens (the real port when PORT=0). */
  url: string;
  /** A newly generated admin token, on the very first start only. */
  adminToken: string | undefined;
  stop(): Promise<void>;
}

/** The services of every process, merged: the all-in-one runs them all. */
function allServices(runtime: Runtime, engines?: TranslationEngine[]): ServiceParts {
  const parts = [
    ingestorService(runtime),
    translatorService({
      ...runtime,
      lexicon: createApertiumLexicon(),
      engines: engines ?? createEngines(runtime.config, { observer: runtime.metrics, alerts: runtime.logger }),
    }),
    summarizerService(runtime),
    publisherService(runtime),
  ];
  const handlers = Object.assign({}, ...parts.map((part) => part.handlers));
  // The one process runs the whole pipeline: a queue no service handles would hold its jobs forever.
  assertEveryQueueHandled(handlers);
  return {
    handlers,
    async afterStart() {
      const stops = await Promise.all(parts.map((part) => part.afterStart?.()));
      return async () => {
        for (const stop of stops) await stop?.();
      };
    },
  };
}

/**
 * The whole system in one process: Redis (started locally if needed), migrations, API,
 * every worker and the poll scheduler.
 */
export async function startSystem(
  config: Config,
  options: {
    seedFile?: string;
    /** Engines instead of TRANSLATION_ENGINES's: the pipeline benchmark's zero-cost engine. */
    engines?: TranslationEngine[];
  } = {},
): Promise<RunningSystem> {
  // A cluster is the operator's to run; only a single local Redis is started on demand.
  const redisChild: ChildProcess | undefined = config.REDIS_CLUSTER_NODES
    ? undefined
    : await ensureRedis(config.REDIS_URL, config.DATA_DIR);
  const runtime = await openRuntime(config, "babelwire");
  const adminToken = await ensureAdminToken(runtime.db, config, (message) => runtime.logger.warn(message));
  if (options.seedFile) {
    const seeded = await seedSources(
      runtime.db,
      runtime.queues,
      options.seedFile,
      config.TARGET_LANGUAGES,
      feedFileRoots(config),
    );
    if (seeded) runtime.logger.info({ seeded }, "added the sources of config/sources.yaml");
  }
  const workers = await startService(runtime, allServices(runtime, options.engines));
  const app = await buildApp(runtime);
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    runtime,
    app,
    url: `http://${host}:${address.port}`,
    adminToken,
    async stop() {
      await app.close();
      await workers.close();
      await runtime.close();
      redisChild?.kill("SIGTERM");
    },
  };
}
