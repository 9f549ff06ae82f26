import { sql } from "kysely";
import type { Db } from "./connect.ts";

/**
 * Records an article's simhash and links it to its story in one statement: the story of the
 * earliest recent article of another source within `maxDistance` bits (the same wire copy
 * through another feed), else a story of its own (its id). Candidates share a simhash quarter
 * (the bands' index finds them); the distance is counted on the 64-bit hashes. Without a
 * print (no words), the article is a story of its own. Gives the story's id.
 */
export async function linkStory(
  db: Db,
  article: { id: string; sourceId: string },
  print: { simhash: string; bands: string[] } | undefined,
  maxDistance: number,
): Promise<string> {
  const nearest = print
    ? sql<string | null>`(select coalesce(c.story_id, c.id) from articles c
        where c.id <> ${article.id} and c.source_id <> ${article.sourceId} and c.simhash is not null
          and c.simhash_bands && ${sql.val(print.bands)}::text[]
          and c.first_seen_at > now() - interval '3 days'
          and bit_count(('x' || c.simhash)::bit(64) # ('x' || ${print.simhash})::bit(64)) <= ${maxDistance}
        order by c.first_seen_at limit 1)`
    : sql<string | null>`null`;
  const row = await db
    .updateTable("articles")
    .set({
      simhash: print?.simhash ?? null,
      simhash_bands: print?.bands ?? null,
      story_id: sql`coalesce(${nearest}, id)`,
    })
    .where("id", "=", article.id)
    .returning("story_id")
    .executeTakeFirstOrThrow();
  return row.story_id ?? article.id;
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
