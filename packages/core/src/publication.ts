import type { Media } from "./article.ts";

/**
 * One language version's live snapshot as the database lists it: what partners read, whether
 * through a feed, the API or a webhook. Its text is the live snapshot, so a newer version that
 * waits for translation or review does not show until it is published.
 */
export interface PublishedItem {
  translationId: string;
  /** `published`, or `withdrawn` when the filter asked for withdrawals. */
  status: string;
  /** The live version. */
  version: number;
  articleId: string;
  lang: string;
  title: string;
  summary: string;
  contentHtml: string;
  reviewed: boolean;
  /** When the translation was first published. */
  publishedAt: Date;
  /** When its live text last changed. */
  updatedAt: Date;
  /** `live_at` exactly, in microseconds since the epoch. */
  updatedAtMicros: string;
  /** With updatedAtMicros and the id, the item's place in the `changes` order (ChangePosition). */
  changeXid: string;
  articleUrl: string | null;
  articleGuid: string;
  articleLanguage: string;
  /** When the agency published the original. */
  articlePublishedAt: Date;
  authors: string[];
  categories: string[];
  media: Media[];
  /** The story the article belongs to: the same wire copy from several sources shares one. */
  storyId: string;
  sourceId: string;
  sourceName: string;
  /** The source's last edit: a rename or new terms change every feed item of it. */
  sourceUpdatedAt: Date;
  /** The source's terms page and usage terms (see syndicate's rights.ts). */
  rightsUrl: string | null;
  usageTerms: string | null;
}

/**
 * What the feed and ninjs renderers read of a PublishedItem. A Pick, not a second declaration:
 * they need no cursor or source-id fields, and the story and the source's settings are optional
 * because the renderers leave out what is absent (their tests build items without them).
 */
export type LiveTranslation = Pick<
  PublishedItem,
  | "translationId"
  | "status"
  | "version"
  | "articleId"
  | "lang"
  | "title"
  | "summary"
  | "contentHtml"
  | "reviewed"
  | "publishedAt"
  | "updatedAt"
  | "articleUrl"
  | "articleLanguage"
  | "articlePublishedAt"
  | "authors"
  | "categories"
  | "media"
  | "sourceName"
> &
  Partial<Pick<PublishedItem, "sourceUpdatedAt" | "storyId" | "rightsUrl" | "usageTerms">>;

/** What a delivery to a partner (a webhook or a WebSub notification) announces of a translation. */
export type DeliveryEvent = "published" | "updated" | "withdrawn";
