import { isatty } from "node:tty";
import { configOrExit, onShutdown, openRuntime } from "@babelwire/runtime";
import { adminTokenNotice, ensureAdminToken } from "./admin-token.ts";
import { buildApp } from "./app.ts";

const runtime = await openRuntime(configOrExit(), "api");
const adminToken = await ensureAdminToken(runtime.db, runtime.config, (message) => runtime.logger.warn(message));
const app = await buildApp(runtime);
await app.listen({ port: runtime.config.PORT, host: runtime.config.HOST });
if (adminToken) process.stderr.write(`${adminTokenNotice(adminToken, runtime.config.DATA_DIR, isatty(2))}\n`);
onShutdown(runtime.logger, async () => {
  await app.close();
  await runtime.close();
});
