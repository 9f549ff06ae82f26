import { spawnSync } from "node:child_process";

/** What Python feedparser, an independent client, reads from a feed (see feedparser()). */
export interface FeedparserView {
  bozo: boolean;
  bozoException: string | null;
  title: string;
  subtitle: string | null;
  language: string | null;
  /** The feed's own site link (RSS channel link, Atom alternate, JSON Feed home_page_url). */
  link: string | null;
  /** The year of the feed's last build date (RSS lastBuildDate, Atom updated), as feedparser reads it. */
  updatedYear: number | null;
  entries: Array<{
    id: string;
    title: string;
    link: string;
    summary: string | null;
    content: string | null;
    authors: string[];
    tags: string[];
    enclosures: Array<{ href: string; type: string | null; length: string | null }>;
    media: string[];
    links: Array<{ rel: string; href: string; type: string | null; hreflang: string | null }>;
    published: string | null;
    updated: string | null;
    rights: string | null;
  }>;
}

// Sanitizing is off so the HTML can be compared exactly: the point is what our XML carries, not feedparser's cleaning.
const SCRIPT = `import feedparser, json, sys
d = feedparser.parse(sys.stdin.buffer.read(), sanitize_html=False, resolve_relative_uris=False)
print(json.dumps({
  'bozo': bool(d.bozo),
  'bozoException': str(d.get('bozo_exception')) if d.bozo else None,
  'title': d.feed.get('title'),
  'subtitle': d.feed.get('subtitle'),
  'language': d.feed.get('language'),
  'link': d.feed.get('link'),
  'updatedYear': d.feed.updated_parsed.tm_year if d.feed.get('updated_parsed') else None,
  'entries': [{
    'id': e.id,
    'title': e.title,
    'link': e.link,
    'summary': e.get('summary'),
    'content': e.content[0].value if 'content' in e else None,
    'authors': [a.get('name') for a in e.get('authors', [])],
    'tags': [t.term for t in e.get('tags', [])],
    'enclosures': [{'href': x.href, 'type': x.get('type'), 'length': x.get('length')} for x in e.get('enclosures', [])],
    'media': [m.get('url') for m in e.get('media_content', [])],
    'links': [{'rel': l.get('rel'), 'href': l.get('href'), 'type': l.get('type'), 'hreflang': l.get('hreflang')} for l in e.get('links', [])],
    'published': e.get('published'),
    'updated': e.get('updated'),
    'rights': e.get('rights'),
  } for e in d.entries],
}))`;

/** Python feedparser (Debian's python3-feedparser), an independent reader of what partners receive. */
export function feedparser(xml: string): FeedparserView {
  const run = spawnSync("/usr/bin/python3", ["-c", SCRIPT], { input: xml, encoding: "utf8" });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`feedparser failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as FeedparserView;
}
