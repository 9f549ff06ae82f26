import { CodedError } from "@babelwire/core";
import type { Db } from "./connect.ts";
import { transitionTranslation } from "./translations.ts";

export interface Withdrawal {
  articleId: string;
  /** Languages in which the article was ever live: their feeds must drop it now. */
  liveLanguages: string[];
  /** Every translation moved to `withdrawn` by this call (none when repeated). */
  translationIds: string[];
}

/**
 * The agency withdrew an article: it is marked so no job translates or publishes it again,
 * and every language version moves to `withdrawn`, each with its history entry. Calling it
 * again finishes what a crash interrupted and changes nothing else.
 */
export async function withdrawArticle(
  db: Db,
  articleId: string,
  options: { actor: string; reason: string },
): Promise<Withdrawal> {
  const marked = await db
    .updateTable("articles")
    .set((eb) => ({
      withdrawn_at: eb.fn.coalesce("withdrawn_at", eb.val(new Date())),
      withdrawn_reason: eb.fn.coalesce("withdrawn_reason", eb.val(options.reason)),
    }))
    .where("id", "=", articleId)
    .returning("id")
    .executeTakeFirst();
  if (!marked) throw new CodedError("not_found", `No article ${articleId}.`);
  const translations = await db
    .selectFrom("translations")
    .select(["id", "lang", "status", "live_at"])
    .where("article_id", "=", articleId)
    .orderBy("lang")
    .execute();
  const withdrawn: string[] = [];
  for (const translation of translations.filter((row) => row.status !== "withdrawn")) {
    try {
      await transitionTranslation(db, translation.id, "withdraw", {
        actor: options.actor,
        detail: { reason: options.reason },
      });
      withdrawn.push(translation.id);
    } catch (error) {
      // Withdrawn meanwhile by a concurrent call: the outcome is the same.
      if (!(error instanceof CodedError && error.code === "illegal_transition")) throw error;
    }
  }
  // Every language ever live, also on a repeated call, so an invalidation a crash missed happens now.
  const liveLanguages = translations.filter((row) => row.live_at).map((row) => row.lang);
  return { articleId, liveLanguages, translationIds: withdrawn };
}

export interface Reinstatement {
  articleId: string;
  articleVersion: number;
  /** Language versions live again with their last approved text. */
  republished: Array<{ id: string; lang: string }>;
  /** Language versions that were never live: back to `queued` for the engine. */
  requeued: Array<{ id: string; lang: string }>;
}

/**
 * An editor undoes a withdrawal: the article is no longer marked, each language version that
 * was live goes live again with the text partners last had, and the others start over.
 * Refused with `not_withdrawn` for an article that is not withdrawn. Calling it after a crash
 * finishes what the first call left: translations still withdrawn are reinstated.
 */
export async function reinstateArticle(
  db: Db,
  articleId: string,
  options: { actor: string; reason: string },
): Promise<Reinstatement> {
  const article = await db
    .selectFrom("articles")
    .select(["id", "version", "withdrawn_at"])
    .where("id", "=", articleId)
    .executeTakeFirst();
  if (!article) throw new CodedError("not_found", `No article ${articleId}.`);
  const translations = await db
    .selectFrom("translations")
    .select(["id", "lang", "status", "live_version"])
    .where("article_id", "=", articleId)
    .where("status", "=", "withdrawn")
    .orderBy("lang")
    .execute();
  if (!article.withdrawn_at && translations.length === 0) {
    throw new CodedError("not_withdrawn", `Article ${articleId} is not withdrawn.`);
  }
  const outcome: Reinstatement = { articleId, articleVersion: article.version, republished: [], requeued: [] };
  for (const translation of translations) {
    const live = translation.live_version !== null;
    try {
      await transitionTranslation(db, translation.id, live ? "reinstate" : "reinstate_unpublished", {
        actor: options.actor,
        detail: { reason: options.reason },
      });
      (live ? outcome.republished : outcome.requeued).push({ id: translation.id, lang: translation.lang });
    } catch (error) {
      // Reinstated meanwhile by a concurrent call: the outcome is the same.
      if (!(error instanceof CodedError && error.code === "illegal_transition")) throw error;
    }
  }
  // Last, so a crash before this point leaves the article withdrawn and the call can be repeated.
  await db
    .updateTable("articles")
    .set({ withdrawn_at: null, withdrawn_reason: null })
    .where("id", "=", articleId)
    .execute();
  return outcome;
}
