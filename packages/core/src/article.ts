/** A picture or other medium attached to an article. */
export interface Media {
  url: string;
  type: string | null;
  caption: string | null;
  /** Size in bytes as the feed states it (RSS enclosure length, Atom link length, JSON Feed size_in_bytes). */
  length?: number | null;
}

/**
 * One feed item after decode → parse → normalize → sanitize: what ingestion hands to storage
 * and what `babelwire ingest --dry-run` prints. Dates are ISO 8601 in UTC; `contentHtml` is
 * already sanitized; `url` is absolute and canonical.
 */
export interface NormalizedArticle {
  guid: string;
  url: string | null;
  title: string;
  summary: string;
  contentHtml: string;
  contentText: string;
  language: string;
  publishedAt: string;
  updatedAt: string;
  authors: string[];
  categories: string[];
  media: Media[];
  contentHash: string;
}
