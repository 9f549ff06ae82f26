import type { Media } from "@babelwire/core";
import type { Attributable } from "./attribution.ts";

/** One published translation as every feed renderer takes it. */
export interface FeedItem extends Attributable {
  /** The translation's id: the item's stable identity across updates. */
  id: string;
  link: string;
  title: string;
  /** Plain text. */
  summary: string;
  /** Sanitized HTML. */
  contentHtml: string;
  publishedAt: Date;
  updatedAt: Date;
  authors: string[];
  categories: string[];
  media: Media[];
  /** The story it tells: the same wire copy arriving through several sources shares one story id. */
  storyId?: string | undefined;
  /** The item's published versions in other languages (not the original, which the attribution names). */
  alternates?: LanguageVersion[];
}

/** Where a partner reads the same story in another language. */
export interface LanguageVersion {
  lang: string;
  url: string;
  /** What the URL serves, such as application/json for the API's ninjs item. */
  type?: string;
}

export interface FeedDocument {
  lang: string;
  selfUrl: string;
  /** The WebSub hub that pushes this feed's new content to subscribers (rel="hub"). */
  hubUrl?: string | undefined;
  siteUrl: string;
  generatedAt: Date;
  /** Newest first. */
  items: FeedItem[];
}
