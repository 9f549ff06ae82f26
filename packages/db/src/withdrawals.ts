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
