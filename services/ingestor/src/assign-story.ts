import { type Db, findStoryCandidates, setArticleStory } from "@babelwire/db";
import { chooseStory, storyPrint } from "@babelwire/ingest";

/** Links a stored article to the story it tells (see chooseStory), reading its candidates and recording the result. */
export async function assignStory(db: Db, article: { id: string; sourceId: string; text: string }): Promise<string> {
  const print = storyPrint(article.text);
  if (!print) {
    await setArticleStory(db, article.id, { simhash: null, bands: null, storyId: article.id });
    return article.id;
  }
  const candidates = await findStoryCandidates(db, { id: article.id, sourceId: article.sourceId, bands: print.bands });
  const storyId = chooseStory(article.id, print.simhash, candidates);
  await setArticleStory(db, article.id, { ...print, storyId });
  return storyId;
}
