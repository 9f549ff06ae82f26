import type { NormalizedArticle } from "@babelwire/core";

/**
 * Feeds sometimes reuse one GUID for different items. The first keeps it; each later item with
 * the same GUID but other content is keyed `guid#<hash prefix>`, stable across polls; exact
 * repeats are dropped. Without this, two items would overwrite each other on every poll.
 */
export function distinctGuids(articles: NormalizedArticle[]): NormalizedArticle[] {
  const seen = new Map<string, Set<string>>();
  const result: NormalizedArticle[] = [];
  for (const article of articles) {
    const hashes = seen.get(article.guid);
    if (!hashes) {
      seen.set(article.guid, new Set([article.contentHash]));
      result.push(article);
      continue;
    }
    if (hashes.has(article.contentHash)) continue;
    hashes.add(article.contentHash);
    result.push({ ...article, guid: `${article.guid}#${article.contentHash.slice(0, 12)}` });
  }
  return result;
}
