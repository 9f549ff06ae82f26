import type { Config } from "@babelwire/config";
import { countTokens, createToken, type Db } from "@babelwire/db";

/**
 * Makes sure an admin can get in: ADMIN_TOKEN, when set, is registered (only its hash); on
 * an empty database without it, a token is generated and returned so the caller prints it once.
 */
export async function ensureAdminToken(db: Db, config: Config): Promise<string | undefined> {
  if (config.ADMIN_TOKEN) {
    await createToken(db, { role: "admin", label: "ADMIN_TOKEN", token: config.ADMIN_TOKEN });
    return undefined;
  }
  if ((await countTokens(db, "admin")) > 0) return undefined;
  const { token } = await createToken(db, { role: "admin", label: "generated at first start" });
  return token;
}
