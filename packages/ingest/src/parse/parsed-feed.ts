/** A medium as the feed names it: the URL may still be relative. */
export interface ParsedMedia {
  url: string;
  type: string | null;
  caption: string | null;
  /** The stated size in bytes, when the feed gives a positive whole number. */
  length: number | null;
}

/**
 * One item as the feed states it, whatever the format: values are raw (titles and bodies may
 * hold markup and entities, URLs may be relative, dates are the feed's strings). Normalizing
 * them is the next stage's job.
 */
export interface ParsedItem {
  id: string | null;
  link: string | null;
  title: string | null;
  /** The full body: content:encoded, Atom content, JSON Feed content_html. */
  contentHtml: string | null;
  /** The short form: RSS description, Atom summary, JSON Feed summary. */
  descriptionHtml: string | null;
  published: string | null;
  updated: string | null;
  language: string | null;
  authors: string[];
  categories: string[];
  media: ParsedMedia[];
  /** The base URL XML Base (xml:base) puts in effect on the item, absolute; null when none is declared. */
  baseUrl: string | null;
  /** Likewise for the body's element: relative links and images inside the body resolve against it. */
  contentBaseUrl: string | null;
}

/** A feed's own WebSub discovery links: its hubs and the URL to subscribe to. */
export interface WebSubLinks {
  hubs: string[];
  self: string | null;
}

export interface ParsedFeed {
  /** Absent for formats that have no such links (JSON Feed's `hubs` carry no topic). */
  websub?: WebSubLinks;
  title: string;
  link: string | null;
  language: string | null;
  ttlMinutes: number | null;
  /** The base URL xml:base puts in effect on the channel or feed element; null when none is declared. */
  baseUrl: string | null;
  items: ParsedItem[];
}
/** A stated size in bytes; 0, negative or garbage tells nothing, so it is dropped. */
export function byteLength(value: unknown): number | null {
  const bytes = typeof value === "string" ? Number(value.trim()) : value;
  return typeof bytes === "number" && Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}
