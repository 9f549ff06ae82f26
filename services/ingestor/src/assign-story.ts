import { type Db, linkStory } from "@babelwire/db";
import { SAME_STORY_DISTANCE, storyPrint } from "@babelwire/ingest";

/** Links a stored article to the story it tells (see chooseStory for the rule), in one statement. */
export async function assignStory(db: Db, article: { id: string; sourceId: string; text: string }): Promise<string> {
  return linkStory(db, article, storyPrint(article.text), SAME_STORY_DISTANCE);
}
