import { type Db, findStoryCandidates, setArticleStory } from "@babelwire/db";
import { hammingDistance, SAME_STORY_DISTANCE, simhash, simhashBands } from "./simhash.ts";

/**
 * Links an article to the story it tells: the same wire copy arriving through several feeds
 * shares one `storyId` (the first article's id); anything else starts its own story.
 */
export async function assignStory(db: Db, article: { id: string; sourceId: string; text: string }): Promise<string> {
  const hash = simhash(article.text);
  if (!hash) {
    await setArticleStory(db, article.id, { simhash: null, bands: null, storyId: article.id });
    return article.id;
  }
  const bands = simhashBands(hash);
  const candidates = await findStoryCandidates(db, { id: article.id, sourceId: article.sourceId, bands });
  const match = candidates.find((candidate) => hammingDistance(candidate.simhash, hash) <= SAME_STORY_DISTANCE);
  const storyId = match ? (match.storyId ?? match.id) : article.id;
  await setArticleStory(db, article.id, { simhash: hash, bands, storyId });
  return storyId;
}
