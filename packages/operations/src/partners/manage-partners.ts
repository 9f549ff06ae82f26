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
import { OperationError } from "../operation-error.ts";

/** A partner may license only sources that exist: a typo would otherwise license nothing, silently. */
async function assertSourcesExist(db: Db, sources: readonly string[] | null | undefined): Promise<void> {
  if (!sources) return;
  const unknown = await unknownSources(db, sources);
  if (unknown.length > 0) {
    throw new OperationError("invalid_request", `sources: no source ${unknown.join(", ")}`, "sources");
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
