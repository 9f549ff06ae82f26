import { sql } from "kysely";
import type { Db } from "./connect.ts";

export interface StoryCandidate {
  id: string;
  storyId: string | null;
  simhash: string;
}

/**
 * Recent articles of other sources that share a simhash quarter with this one: every article
 * within a small Hamming distance is among them. The caller measures the distance.
 */
export async function findStoryCandidates(
  db: Db,
  article: { id: string; sourceId: string; bands: string[] },
): Promise<StoryCandidate[]> {
  const rows = await db
    .selectFrom("articles")
    .select(["id", "story_id", "simhash"])
    .where("id", "<>", article.id)
    .where("source_id", "<>", article.sourceId)
    .where("simhash", "is not", null)
    .where(sql<boolean>`simhash_bands && ${sql.val(article.bands)}::text[]`)
    .where("first_seen_at", ">", sql<Date>`now() - interval '3 days'`)
    .orderBy("first_seen_at")
    .limit(500)
    .execute();
  return rows.map((row) => ({ id: row.id, storyId: row.story_id, simhash: row.simhash ?? "" }));
}

/** Records an article's simhash and the story it belongs to (its own id when it starts one). */
export async function setArticleStory(
  db: Db,
  id: string,
  story: { simhash: string | null; bands: string[] | null; storyId: string },
): Promise<void> {
  await db
    .updateTable("articles")
    .set({ simhash: story.simhash, simhash_bands: story.bands, story_id: story.storyId })
    .where("id", "=", id)
    .execute();
}
