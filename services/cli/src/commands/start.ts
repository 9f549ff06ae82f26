import { resolve } from "node:path";
import { isatty } from "node:tty";
import { adminTokenNotice } from "@babelwire/api";
import { onShutdown } from "@babelwire/runtime";
import type { Command } from "commander";
import { cliConfig } from "../cli-runtime.ts";
import { startSystem } from "../start/start-system.ts";

export function registerStart(program: Command): void {
  program
    .command("start")
    .description("the whole system in one process: API, every worker and the poll scheduler")
    .action(async () => {
      const config = cliConfig();
      const system = await startSystem(config, { seedFile: resolve("config/sources.yaml") });
      const base = config.PUBLIC_BASE_URL;
      const lines = [
        "",
        `Babelwire is running at ${system.url}`,
        `  API docs:        ${base}/docs`,
        `  Spanish feed:    ${base}/v1/feeds/es.rss?token=<token>`,
        `  Catalan feed:    ${base}/v1/feeds/ca.rss?token=<token>`,
        `  Sources:         ${base}/v1/sources (admin token)`,
        `  Queues:          ${base}/v1/queues (admin token)`,
        `  Editors' desk:   ${base}/desk (log in with an editor or admin token)`,
        `  Queue dashboard: ${base}/admin/queues (log in once with an admin token)`,
        `  Sample feed:     pnpm babelwire sources add ${resolve("examples/feeds/ukrinform-sample.xml")} --review auto`,
      ];
      if (system.adminToken) lines.push("", adminTokenNotice(system.adminToken, config.DATA_DIR, isatty(2)));
      // On stderr, apart from the logs on stdout: a log collector keeps JSON lines only.
      process.stderr.write(`${lines.join("\n")}\n\n`);
      onShutdown(system.runtime.logger, () => system.stop());
    });
}
