import type { Config } from "@babelwire/config";
import { countTokens, createToken, type Db } from "@babelwire/db";

/**
 * Makes sure an admin can get in: ADMIN_TOKEN, when set, is registered (only its hash); on
 * an empty database without it, a token is generated and returned so the caller prints it once.
 * An ADMIN_TOKEN revoked since stays revoked, and `warn` says so in one line.
 */
export async function ensureAdminToken(
  db: Db,
  config: Config,
  warn: (message: string) => void,
): Promise<string | undefined> {
  if (config.ADMIN_TOKEN) {
    const { row } = await createToken(db, { role: "admin", label: "ADMIN_TOKEN", token: config.ADMIN_TOKEN });
    if (row.revoked_at) warn("ADMIN_TOKEN was revoked and stays revoked: set another one, or use another admin token.");
    return undefined;
  }
  if ((await countTokens(db, "admin")) > 0) return undefined;
  const { token } = await createToken(db, { role: "admin", label: "generated at first start" });
  return token;
}
