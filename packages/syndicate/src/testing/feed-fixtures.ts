import type { FeedDocument, FeedItem } from "../feed-item.ts";
import { stripInvalidXmlChars } from "../xml/escape.ts";

/** Breaks out of CDATA, elements and scripts, smuggles markup, controls, quotes, astral and right-to-left text. */
export const HOSTILE =
  "Evil ]]> </content><script>alert(1)</script><!-- & \"quotes\" 'single' \u0001\u0008\uFFFE \u2028 emoji 🦊 عربي עברית";
/** HOSTILE as an XML reader gets it back: without the characters XML cannot hold. */
export const HOSTILE_CLEAN = stripInvalidXmlChars(HOSTILE);

export function feedItem(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id: "7f0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a11",
    link: "https://www.ukrinform.net/rubric-polytics/3925071.html",
    title: "Rusia envía tecnología militar a Corea del Norte",
    summary: "Rusia proporciona a Corea del Norte tecnología avanzada.",
    contentHtml: "<p>El secretario general de la <b>OTAN</b> lo dijo en Budapest.</p>",
    publishedAt: new Date("2024-11-07T12:21:00Z"),
    updatedAt: new Date("2024-11-07T12:30:00Z"),
    authors: ["Ukrinform"],
    categories: ["Política"],
    media: [
      {
        url: "https://static.ukrinform.com/photos/rutte.jpg",
        type: "image/jpeg",
        caption: "Mark Rutte",
        length: 12345,
      },
    ],
    sourceName: "Ukrinform",
    originalUrl: "https://www.ukrinform.net/rubric-polytics/3925071.html",
    originalLanguage: "en",
    reviewed: false,
    alternates: [
      { lang: "ca", url: "https://babelwire.example/v1/articles/0a1b?lang=ca", type: "application/json" },
      { lang: "uk", url: "https://babelwire.example/v1/articles/0a1b?lang=uk", type: "application/json" },
    ],
    ...overrides,
  };
}

/** Hostile text in every field a feed carries, and links a reader must not follow as they are. */
export const evilItem = feedItem({
  id: "evil-1 <&>",
  link: 'https://babelwire.example/a?q="x"&r=<y>',
  title: HOSTILE,
  summary: `${HOSTILE}\nsecond line`,
  contentHtml: `<p>${HOSTILE}</p>`,
  authors: [HOSTILE, "Second Author"],
  categories: [HOSTILE],
  sourceName: HOSTILE,
  originalUrl: 'https://www.ukrinform.net/a?b="c"&d=]]>',
  originalLanguage: "uk",
  media: [
    { url: "https://x.example/clip.mp4", type: "video/mp4", caption: null },
    { url: 'https://x.example/a.jpg?a=1&b="2"', type: "image/jpeg", caption: HOSTILE },
    { url: "javascript:alert(1)", type: "image/png", caption: null },
  ],
  alternates: [
    { lang: "ca", url: 'https://babelwire.example/v1/articles/e"vil?lang=ca&x=<y>' },
    { lang: "uk", url: "https://babelwire.example/v1/articles/evil?lang=uk" },
  ],
  reviewed: true,
});

/** Nothing optional: no media, authors, categories, original URL or other languages. */
export const bareItem = feedItem({
  id: "third",
  media: [],
  authors: [],
  categories: [],
  originalUrl: null,
  alternates: [],
});

export function feedDocument(items: FeedItem[], lang = "es", format = "atom"): FeedDocument {
  return {
    lang,
    selfUrl: `https://babelwire.example/v1/feeds/${lang}.${format}?token=a&b`,
    siteUrl: "https://babelwire.example/",
    generatedAt: new Date("2024-11-07T12:30:00Z"),
    items,
  };
}
