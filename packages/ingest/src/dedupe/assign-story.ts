import { hammingDistance, SAME_STORY_DISTANCE, simhash, simhashBands } from "./simhash.ts";

/** What finds an article's story: its simhash, and the quarters of it near-duplicates share. */
export interface StoryPrint {
  simhash: string;
  bands: string[];
}

/** The article's print, or undefined when its text is too short to hash: then it starts its own story. */
export function storyPrint(text: string): StoryPrint | undefined {
  const hash = simhash(text);
  return hash ? { simhash: hash, bands: simhashBands(hash) } : undefined;
}

/**
 * The story an article tells: the same wire copy arriving through several feeds shares one
 * story id (the first article's id), so the first candidate near enough gives its story;
 * anything else starts its own, named by the article's id.
 */
export function chooseStory(
  articleId: string,
  hash: string,
  candidates: ReadonlyArray<{ id: string; storyId: string | null; simhash: string }>,
): string {
  const match = candidates.find((candidate) => hammingDistance(candidate.simhash, hash) <= SAME_STORY_DISTANCE);
  return match ? (match.storyId ?? match.id) : articleId;
}
