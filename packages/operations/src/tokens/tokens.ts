import { createToken, type Db, getPartner, type Role, type TokenRow } from "@babelwire/db";
import { OperationError } from "../operation-error.ts";

export interface TokenInput {
  role: Role;
  partnerId?: string | null | undefined;
  label?: string | null | undefined;
  expiresAt?: Date | null | undefined;
}

/**
 * Issues a token as POST /v1/tokens and `tokens create` do: it expires in the future if at all,
 * and names its partner as assertTokenPartner says. The secret is returned once; only its hash is stored.
 */
export async function issueToken(db: Db, input: TokenInput): Promise<{ token: string; row: TokenRow }> {
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new OperationError("invalid_request", "expiresAt must be in the future", "expiresAt");
  }
  await assertTokenPartner(db, input.role, input.partnerId);
  return createToken(db, {
    role: input.role,
    partnerId: input.partnerId ?? null,
    label: input.label ?? null,
    expiresAt,
  });
}

/**
 * A token's partner: a partner token must name an existing partner (a token of no partner could
 * read nothing), and no other role may name one.
 */
async function assertTokenPartner(db: Db, role: string, partnerId: string | null | undefined): Promise<void> {
  if (role !== "partner") {
    if (partnerId)
      throw new OperationError("invalid_request", `partnerId is only for partner tokens, not ${role}`, "partnerId");
    return;
  }
  if (!partnerId) throw new OperationError("invalid_request", "partnerId is required for a partner token", "partnerId");
  if (!(await getPartner(db, partnerId))) {
    throw new OperationError("invalid_request", `partnerId: no partner ${partnerId}`, "partnerId");
  }
}

/** A token as the API and the CLI list it: who holds it and its life, never its secret. */
export function tokenSummary(row: {
  id: string;
  role: string;
  partner_id: string | null;
  label: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}) {
  return {
    id: row.id,
    role: row.role,
    partnerId: row.partner_id,
    label: row.label,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
