import type { LiveTranslation } from "@babelwire/core";
import type { FeedItem } from "../feed-item.ts";
import { type NinjsItem, toNinjs } from "./render-ninjs.ts";

/** Another live language version of the same article. */
export interface LiveVersion {
  articleId: string;
  lang: string;
  translationId: string;
}

/** Where the API serves one language version of an article as ninjs. */
export function articleApiUrl(base: string, articleId: string, lang: string): string {
  return `${base}/v1/articles/${articleId}?lang=${encodeURIComponent(lang)}`;
}

/** Live language versions by article id, as `liveFeedItem` and `liveNinjs` look them up. */
export function groupVersionsByArticle(versions: readonly LiveVersion[]): Map<string, LiveVersion[]> {
  const byArticle = new Map<string, LiveVersion[]>();
  for (const version of versions)
    byArticle.set(version.articleId, [...(byArticle.get(version.articleId) ?? []), version]);
  return byArticle;
}

/** A live translation as the feed renderers take it; `versions` gives its other languages. */
export function liveFeedItem(item: LiveTranslation, versions: Map<string, LiveVersion[]>, base: string): FeedItem {
  return {
    id: item.translationId,
    link: item.articleUrl ?? articleApiUrl(base, item.articleId, item.lang),
    title: item.title,
    summary: item.summary,
    contentHtml: item.contentHtml,
    // Partners date a story by when the agency published it, not when its translation went out.
    publishedAt: item.articlePublishedAt,
    updatedAt: item.updatedAt,
    authors: item.authors,
    categories: item.categories,
    media: item.media,
    originalUrl: item.articleUrl,
    originalLanguage: item.articleLanguage,
    sourceName: item.sourceName,
    storyId: item.storyId,
    reviewed: item.reviewed,
    rightsUrl: item.rightsUrl ?? null,
    usageTerms: item.usageTerms ?? null,
    alternates: (versions.get(item.articleId) ?? [])
      .filter((version) => version.lang !== item.lang)
      .map((version) => ({
        lang: version.lang,
        url: articleApiUrl(base, version.articleId, version.lang),
        type: "application/json",
      })),
  };
}

/**
 * A published or withdrawn translation as ninjs, linked to its article's other live languages:
 * the same item whether a partner reads it from the API or gets it in a webhook.
 */
export function liveNinjs(item: LiveTranslation, versions: Map<string, LiveVersion[]>, base: string): NinjsItem {
  const feedItem = liveFeedItem(item, versions, base);
  // The feed item's alternates are the API URLs of the other languages: the same links Atom entries carry.
  const hrefs = new Map((feedItem.alternates ?? []).map((alternate) => [alternate.lang, alternate.url]));
  return toNinjs({
    ...feedItem,
    lang: item.lang,
    version: item.version,
    firstPublishedAt: item.publishedAt,
    withdrawn: item.status === "withdrawn",
    articleId: item.articleId,
    versions: (versions.get(item.articleId) ?? []).flatMap((version) => {
      const href = hrefs.get(version.lang);
      return href ? [{ lang: version.lang, translationId: version.translationId, href }] : [];
    }),
  });
}
