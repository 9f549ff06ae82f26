import { randomBytes } from "node:crypto";
import { newId, sha256Hex } from "@babelwire/core";
import type { Selectable } from "kysely";
import type { Db } from "./connect.ts";
import type { TokensTable } from "./schema.ts";

export type TokenRow = Selectable<TokensTable>;
export type Role = TokensTable["role"];

/** Tokens are shown once and stored only as a SHA-256 digest: they are long random secrets, so no slow hash is needed. */
export function hashToken(token: string): string {
  return sha256Hex(token);
}

export function generateToken(): string {
  return `bw_${randomBytes(24).toString("base64url")}`;
}

export async function createToken(
  db: Db,
  input: { role: Role; partnerId?: string | null; label?: string | null; expiresAt?: Date | null; token?: string },
): Promise<{ token: string; row: TokenRow }> {
  const token = input.token ?? generateToken();
  const row = await db
    .insertInto("tokens")
    .values({
      id: newId(),
      hash: hashToken(token),
      role: input.role,
      partner_id: input.partnerId ?? null,
      label: input.label ?? null,
      expires_at: input.expiresAt ?? null,
    })
    // A token that exists already is left as it is: a revoked one is never brought back.
    .onConflict((oc) => oc.column("hash").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (row) return { token, row };
  const existing = await db
    .selectFrom("tokens")
    .selectAll()
    .where("hash", "=", hashToken(token))
    .executeTakeFirstOrThrow();
  return { token, row: existing };
}

/** The live token row for a presented secret: not revoked, not expired. */
export async function findLiveToken(db: Db, token: string): Promise<TokenRow | undefined> {
  return live(await db.selectFrom("tokens").selectAll().where("hash", "=", hashToken(token)).executeTakeFirst());
}

/** The live token row with this id (a browser session's), not revoked, not expired. */
export async function findLiveTokenById(db: Db, id: string): Promise<TokenRow | undefined> {
  return live(await db.selectFrom("tokens").selectAll().where("id", "=", id).executeTakeFirst());
}

function live(row: TokenRow | undefined): TokenRow | undefined {
  if (!row || row.revoked_at) return undefined;
  if (row.expires_at && row.expires_at.getTime() <= Date.now()) return undefined;
  return row;
}

/** The labels of these tokens, by id, for those that have one (history shows who acted). */
export async function tokenLabels(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("tokens")
    .select(["id", "label"])
    .where("id", "in", [...ids])
    .execute();
  return new Map(rows.flatMap((row) => (row.label ? [[row.id, row.label] as const] : [])));
}

export async function countTokens(db: Db, role?: Role): Promise<number> {
  let query = db.selectFrom("tokens").select((eb) => eb.fn.countAll<number>().as("n"));
  if (role) query = query.where("role", "=", role);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Every token, oldest first: never their secrets, which are not stored. */
export async function listTokens(db: Db): Promise<TokenRow[]> {
  return db.selectFrom("tokens").selectAll().orderBy("created_at").execute();
}

/** Revokes a live token; false when there is no live token with this id. */
export async function revokeToken(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable("tokens")
    .set({ revoked_at: new Date() })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
