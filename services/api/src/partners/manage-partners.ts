import {
  createPartner,
  type Db,
  getPartner,
  type NewPartner,
  type PartnerPatch,
  type PartnerRow,
  unknownSources,
  updatePartner,
} from "@babelwire/db";
import { ApiError } from "../plugins/errors.ts";

/** A partner may license only sources that exist: a typo would otherwise license nothing, silently. */
async function assertSourcesExist(db: Db, sources: readonly string[] | null | undefined): Promise<void> {
  if (!sources) return;
  const unknown = await unknownSources(db, sources);
  if (unknown.length > 0) {
    throw new ApiError(400, "invalid_request", `sources: no source ${unknown.join(", ")}`, "sources");
  }
}

/** Stores a validated partner (see partner-input) once its sources are known to exist. */
export async function addPartner(db: Db, input: NewPartner): Promise<PartnerRow> {
  await assertSourcesExist(db, input.sources);
  return createPartner(db, input);
}

/** Changes a partner; undefined when there is no such partner. */
export async function changePartner(db: Db, id: string, patch: PartnerPatch): Promise<PartnerRow | undefined> {
  if (!(await getPartner(db, id))) return undefined;
  await assertSourcesExist(db, patch.sources);
  return updatePartner(db, id, patch);
}

/**
 * A token's partner as POST /v1/tokens and `tokens create` take it: a partner token must name an
 * existing partner (a token of no partner could read nothing), and no other role may name one.
 */
export async function assertTokenPartner(db: Db, role: string, partnerId: string | null | undefined): Promise<void> {
  if (role !== "partner") {
    if (partnerId)
      throw new ApiError(400, "invalid_request", `partnerId is only for partner tokens, not ${role}`, "partnerId");
    return;
  }
  if (!partnerId) throw new ApiError(400, "invalid_request", "partnerId is required for a partner token", "partnerId");
  if (!(await getPartner(db, partnerId))) {
    throw new ApiError(400, "invalid_request", `partnerId: no partner ${partnerId}`, "partnerId");
  }
}
