import { migrate, openDatabase } from "@babelwire/db";
import type { Command } from "commander";
import { cliConfig } from "../cli-runtime.ts";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("apply pending database migrations")
    .action(async () => {
      const config = cliConfig();
      const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
      try {
        const applied = await migrate(db);
        process.stdout.write(applied.length ? `applied ${applied.join(", ")}\n` : "database is up to date\n");
      } finally {
        await db.destroy();
      }
    });
}
