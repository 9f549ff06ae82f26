import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
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

/**
 * How the one-time admin token reaches the operator: on a terminal, the line that shows it.
 * Anywhere else (systemd, Docker: logs that are kept and shipped) it never goes into the
 * output; it is written to `DATA_DIR/admin-token`, readable by this user alone, and the line
 * says where. Returns the line to print.
 */
export function adminTokenNotice(token: string, dataDir: string, terminal: boolean): string {
  if (terminal) return `Admin token (shown once; only its hash is stored): ${token}`;
  const file = resolve(dataDir, ADMIN_TOKEN_FILE);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  // An existing file keeps its old mode on rewrite; make sure it is the owner's alone.
  chmodSync(file, 0o600);
  return `Admin token written to ${file} (mode 0600; only its hash is stored): read it, keep it, delete the file.`;
}

export const ADMIN_TOKEN_FILE = "admin-token";
