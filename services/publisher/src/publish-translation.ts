import { type Db, getTranslation, transitionTranslation } from "@babelwire/db";
import type { JobPayload } from "@babelwire/queue";

export interface PublishDeps {
  db: Db;
}

/**
 * Publishes an approved translation. Already published is success (the job ran twice);
 * anything else means the translation moved on since the job was queued.
 */
export async function publishTranslation(deps: PublishDeps, payload: JobPayload<"publish">) {
  const row = await getTranslation(deps.db, payload.translationId);
  if (!row) return { outcome: "skipped", reason: "translation deleted" };
  if (row.status === "published") return { outcome: "already_published" };
  if (row.status !== "approved") return { outcome: "skipped", reason: `translation is ${row.status}` };
  await transitionTranslation(deps.db, row.id, "publish", { actor: "system" });
  return { outcome: "published" };
}
