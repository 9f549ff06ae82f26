import { randomBytes } from "node:crypto";
import { newId } from "@babelwire/core";
import type { Selectable } from "kysely";
import type { Db } from "./connect.ts";
import type { PartnersTable } from "./schema.ts";

export type PartnerRow = Selectable<PartnersTable>;

export interface NewPartner {
  name: string;
  languages: string[];
  /** Licensed source ids; null or absent means every source. */
  sources?: string[] | null | undefined;
  webhookUrl?: string | null | undefined;
  allowPrivateWebhook?: boolean | undefined;
}

export type PartnerPatch = Partial<NewPartner>;

/** The secret that signs a partner's webhooks: shown when the partner is created. */
function webhookSecret(): string {
  // Standard Webhooks' convention: the key's bytes in standard base64 (24 bytes need no padding).
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export async function createPartner(db: Db, input: NewPartner): Promise<PartnerRow> {
  return db
    .insertInto("partners")
    .values({
      id: newId(),
      name: input.name,
      languages: input.languages,
      sources: input.sources ?? null,
      webhook_url: input.webhookUrl ?? null,
      webhook_secret: webhookSecret(),
      allow_private_webhook: input.allowPrivateWebhook ?? false,
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getPartner(db: Db, id: string): Promise<PartnerRow | undefined> {
  return db.selectFrom("partners").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listPartners(db: Db): Promise<PartnerRow[]> {
  return db.selectFrom("partners").selectAll().orderBy("created_at").orderBy("id").execute();
}

export async function updatePartner(db: Db, id: string, patch: PartnerPatch): Promise<PartnerRow | undefined> {
  return db
    .updateTable("partners")
    .set({
      updated_at: new Date(),
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.languages !== undefined && { languages: patch.languages }),
      ...(patch.sources !== undefined && { sources: patch.sources }),
      ...(patch.webhookUrl !== undefined && { webhook_url: patch.webhookUrl }),
      ...(patch.allowPrivateWebhook !== undefined && { allow_private_webhook: patch.allowPrivateWebhook }),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

/** Deleting a partner revokes its tokens with it: nothing it held may read on. */
export async function deletePartner(db: Db, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx
      .updateTable("tokens")
      .set({ revoked_at: new Date() })
      .where("partner_id", "=", id)
      .where("revoked_at", "is", null)
      .execute();
    const result = await trx.deleteFrom("partners").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

/** Which of these source ids name no source: a partner cannot license what does not exist. */
export async function unknownSources(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = await db
    .selectFrom("sources")
    .select("id")
    .where("id", "in", [...ids])
    .execute();
  const known = new Set(found.map((row) => row.id));
  return ids.filter((id) => !known.has(id));
}

/** Whether the partner licensed this language (exact tag or its primary subtag) and source. */
export function isEntitled(
  partner: Pick<PartnerRow, "languages" | "sources">,
  item: { lang: string; sourceId?: string | undefined },
): boolean {
  const lang = item.lang.toLowerCase();
  const languageOk = partner.languages.some((licensed) => {
    const tag = licensed.toLowerCase();
    return tag === lang || lang.startsWith(`${tag}-`);
  });
  if (!languageOk) return false;
  if (item.sourceId === undefined || partner.sources === null) return true;
  return partner.sources.includes(item.sourceId);
}

/** Partners entitled to an item with a webhook to tell: who a publish or withdrawal goes to. */
export async function partnersToNotify(db: Db, item: { lang: string; sourceId: string }): Promise<PartnerRow[]> {
  return (await partnersWithWebhooks(db)).filter((partner) => isEntitled(partner, item));
}

/** Every partner with a webhook URL, licensed for anything or not. */
export async function partnersWithWebhooks(db: Db): Promise<PartnerRow[]> {
  return db.selectFrom("partners").selectAll().where("webhook_url", "is not", null).execute();
}
