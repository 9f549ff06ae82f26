import type { NormalizedArticle } from "@babelwire/core";
import { htmlToLine } from "@babelwire/html";
import type { ParsedFeed, ParsedItem } from "../src/index.ts";
import { Field, IGNORED, Node } from "./expectation-values.ts";
import {
  matchAuthor,
  matchBody,
  matchCharset,
  matchDateString,
  matchDateTuple,
  matchGuid,
  matchSummaryText,
  matchText,
  matchUrl,
} from "./field-matchers.ts";

export interface FeedparserSubject {
  bytes: Buffer;
  contentType: string | null;
  feedUrl: string;
  feed: ParsedFeed;
  articles: NormalizedArticle[];
}

/**
 * Our output dressed as feedparser's result dict, for the fields that have a counterpart in
 * our normalized shape; every other key is "not applicable".
 */
export function feedparserNames(subject: FeedparserSubject): Record<string, unknown> {
  return {
    bozo: IGNORED,
    bozo_exception: IGNORED,
    feedparser: IGNORED,
    encoding: new Field("encoding", null, matchCharset(subject.bytes, subject.contentType)),
    feed: feedNode(subject.feed),
    entries: subject.articles.map((article, index) =>
      entryNode(article, subject.feed.items[index] as ParsedItem, `entries[${index}]`, subject.feedUrl),
    ),
  };
}

/** readFeed hands on only the feed's title (as text, like item titles); its link and language only inform items. */
function feedNode(feed: ParsedFeed): Node {
  const title = () => new Field("feed['title']", htmlToLine(feed.title), matchText);
  return new Node("feed", {
    title,
    title_detail: () => new Node("feed['title_detail']", { value: title }),
  });
}

function entryNode(article: NormalizedArticle, item: ParsedItem, path: string, feedUrl: string): Node {
  const base = article.url ?? feedUrl;
  const title = () => new Field(`${path}['title']`, article.title, matchText);
  const summary = () => summaryField(article, item, path, base);
  // feedparser and we file RSS and Atom dates under different names (dc:date is its `updated`,
  // our `publishedAt`): an expected date must be one of the item's dates, read from the feed.
  const dates = item.published === null && item.updated === null ? [] : [article.publishedAt, article.updatedAt];
  const author = () => new Field(`${path}['author']`, article.authors[0] ?? null, matchAuthor);
  return new Node(path, {
    title,
    title_detail: () => new Node(`${path}['title_detail']`, { value: title }),
    link: () => new Field(`${path}['link']`, article.url, matchUrl(feedUrl)),
    id: () => new Field(`${path}['id']`, article.guid, matchGuid(base)),
    guid: () => new Field(`${path}['guid']`, article.guid, matchGuid(base)),
    description: summary,
    summary,
    summary_detail: () => new Node(`${path}['summary_detail']`, { value: summary }),
    content: () =>
      item.contentHtml === null
        ? []
        : [
            new Node(`${path}['content'][0]`, {
              value: () => new Field(`${path}['content'][0]['value']`, article.contentHtml, matchBody(base)),
            }),
          ],
    author,
    author_detail: () => new Node(`${path}['author_detail']`, { name: author }),
    authors: () => article.authors.map((name) => authorNode(name, `${path}['authors'][]`)),
    tags: () => article.categories.map((term) => new Node(`${path}['tags'][]`, { term: () => term })),
    category: () => new Field(`${path}['category']`, article.categories[0] ?? null),
    published: () => new Field(`${path}['published']`, dates, matchDateString),
    published_parsed: () => new Field(`${path}['published_parsed']`, dates, matchDateTuple),
    updated: () => new Field(`${path}['updated']`, dates, matchDateString),
    updated_parsed: () => new Field(`${path}['updated_parsed']`, dates, matchDateTuple),
    enclosures: () =>
      article.media.map(
        (medium) =>
          new Node(`${path}['enclosures'][]`, {
            href: () => medium.url,
            url: () => medium.url,
            type: () => medium.type,
          }),
      ),
  });
}

/**
 * An author of ours is a name, or an e-mail address where the feed gave nothing else (Atom's
 * `<email>` alone, RSS's bare address): that one stands for feedparser's `email` too.
 */
function authorNode(name: string, path: string): Node {
  const fields: Record<string, () => unknown> = { name: () => name };
  if (EMAIL.test(name)) fields.email = () => name;
  return new Node(path, fields);
}

const EMAIL = /^[^\s@()<>]+@[^\s@()<>]+$/;

/**
 * feedparser's summary is the description (or, lacking one, the content), as HTML. Ours is
 * the sanitized body when the description is all the item has, else the description as text.
 */
function summaryField(article: NormalizedArticle, item: ParsedItem, path: string, base: string): Field {
  if (item.contentHtml !== null && item.descriptionHtml !== null) {
    return new Field(`${path}['summary']`, article.summary, matchSummaryText);
  }
  return new Field(`${path}['summary']`, article.contentHtml, matchBody(base));
}
