import { type Config, ConfigError, loadConfig } from "@babelwire/config";
import { type Db, migrate, openDatabase } from "@babelwire/db";
import { CommandError } from "./fail.ts";

export function cliConfig(overrides: Record<string, string> = {}): Config {
  try {
    return loadConfig(overrides);
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandError(error.message, 2, "CONFIG_INVALID");
    throw error;
  }
}

/** Runs `work` with a migrated database, and closes it whatever happens. */
export async function withDatabase<T>(
  work: (db: Db, config: Config) => Promise<T>,
  overrides: Record<string, string> = {},
): Promise<T> {
  const config = cliConfig(overrides);
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrate(db);
    return await work(db, config);
  } finally {
    await db.destroy();
  }
}
