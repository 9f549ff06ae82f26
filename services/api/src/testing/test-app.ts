import type { Config } from "@babelwire/config";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { type ApiApp, buildApp } from "../app.ts";

export interface TestApp {
  runtime: Runtime;
  app: ApiApp;
  /** Closes the app, then deletes its queue keys and closes the runtime. */
  close(): Promise<void>;
}

/**
 * The API as a route test drives it with `app.inject`: built on a runtime of its own, whose
 * test configuration gives it an embedded database and a queue prefix of its own on the shared
 * Redis, so test files never see each other's rows or jobs.
 */
export async function openTestApp(name: string, config: Config = testConfig()): Promise<TestApp> {
  const runtime = await openRuntime(config, name);
  const app = await buildApp(runtime);
  return {
    runtime,
    app,
    async close() {
      await app.close();
      await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
      await runtime.close();
    },
  };
}
