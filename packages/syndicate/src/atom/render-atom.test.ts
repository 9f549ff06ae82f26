import { describe, expect, it } from "vitest";
import { attributionHtml } from "../attribution.ts";
import { bareItem, evilItem, feedDocument, feedItem, HOSTILE, HOSTILE_CLEAN } from "../testing/feed-fixtures.ts";
import { feedparser } from "../testing/feedparser.ts";
import { xmllint, xpathString } from "../testing/xmllint.ts";
import { renderAtom } from "./render-atom.ts";

const ATOM = "*[local-name()='feed']";
const entry = (n: number) => `/${ATOM}/*[local-name()='entry'][${n}]`;

describe("renderAtom", () => {
  const xml = renderAtom(feedDocument([feedItem(), evilItem, bareItem]));

  it("stays well-formed XML with hostile strings in every field", () => {
    expect(xmllint(xml)).toEqual({ status: 0, stderr: "" });
    for (const forbidden of ["\u0001", "\u0008", "\uFFFE", "<script>"]) expect(xml).not.toContain(forbidden);
  });

  it("round-trips ids, titles, summaries, dates and full HTML bodies exactly through feedparser", () => {
    const parsed = feedparser(xml);
    expect(parsed.bozo, parsed.bozoException ?? "").toBe(false);
    expect(parsed.entries.map((e) => e.id)).toEqual([
      "urn:babelwire:7f0c6c9e-4f36-4b8e-9d2c-5b0f8f0e2a11",
      "urn:babelwire:evil-1 <&>",
      "urn:babelwire:third",
    ]);
    expect(parsed.entries.map((e) => e.title)).toEqual([feedItem().title, HOSTILE_CLEAN, feedItem().title]);
    expect(parsed.entries[1]?.summary).toBe(`${HOSTILE_CLEAN}\nsecond line`);
    expect(parsed.entries[1]?.content).toBe(`<p>${HOSTILE_CLEAN}</p>\n${attributionHtml("es", evilItem)}`);
    expect(parsed.entries[0]?.content).toBe(`${feedItem().contentHtml}\n${attributionHtml("es", feedItem())}`);
    expect(parsed.entries[0]?.published).toBe("2024-11-07T12:21:00.000Z");
    expect(parsed.entries[0]?.updated).toBe("2024-11-07T12:30:00.000Z");
  });

  it("ends every body with the attribution paragraph in the feed's language", () => {
    const parsed = feedparser(xml);
    expect(parsed.entries[0]?.content).toMatch(
      /Fuente: Ukrinform\. Original \(inglés\): <a href=.*Traducción automática\.<\/p>$/,
    );
    expect(parsed.entries[1]?.content).toMatch(/Original \(ucraniano\): .*Traducido y revisado por un editor\.<\/p>$/);
    expect(parsed.entries[2]?.content).toMatch(/Original \(inglés\): —\. Traducción automática\.<\/p>$/);
  });

  it("links each entry to its other language versions and its original with hreflang", () => {
    const links = feedparser(xml).entries.map((e) => e.links);
    const api = "https://babelwire.example/v1/articles";
    expect(links[0]).toEqual([
      { rel: "alternate", type: "text/html", hreflang: null, href: feedItem().link },
      { rel: "alternate", type: "application/json", hreflang: "ca", href: `${api}/0a1b?lang=ca` },
      { rel: "alternate", type: "application/json", hreflang: "uk", href: `${api}/0a1b?lang=uk` },
      { rel: "alternate", type: "text/html", hreflang: "en", href: feedItem().originalUrl },
      { rel: "enclosure", type: "image/jpeg", hreflang: null, href: "https://static.ukrinform.com/photos/rutte.jpg" },
    ]);
    // The original is in Ukrainian: it wins over a Ukrainian translation, since Atom allows one alternate per hreflang.
    expect(links[1]?.filter((l) => l.hreflang !== null)).toEqual([
      { rel: "alternate", type: "text/html", hreflang: "ca", href: `${api}/e%22vil?lang=ca&x=%3Cy%3E` },
      { rel: "alternate", type: "text/html", hreflang: "uk", href: "https://www.ukrinform.net/a?b=%22c%22&d=]]%3E" },
    ]);
    expect(links[2]).toEqual([{ rel: "alternate", type: "text/html", hreflang: null, href: feedItem().link }]);
  });

  it("leaves the entry's link, as feedparser reads it, on the story's page rather than another language", () => {
    const parsed = feedparser(xml);
    expect(parsed.entries[0]?.link).toBe(feedItem().originalUrl);
    expect(parsed.entries[2]?.link).toBe(feedItem().link);
  });

  it("never links the entry to another version in the feed's own language", () => {
    const own = feedItem({ alternates: [{ lang: "es", url: "https://babelwire.example/v1/articles/0a1b?lang=es" }] });
    const links = feedparser(renderAtom(feedDocument([own]))).entries[0]?.links ?? [];
    expect(links.map((l) => l.hreflang)).toEqual([null, "en", null]);
    expect(links.map((l) => l.rel)).toEqual(["alternate", "alternate", "enclosure"]);
  });

  it("percent-encodes a hostile link and drops one that is not http(s)", () => {
    expect(xpathString(xml, `${entry(2)}/*[local-name()='link'][1]/@href`)).toBe(
      "https://babelwire.example/a?q=%22x%22&r=%3Cy%3E",
    );
    const scripted = feedItem({ link: "javascript:alert(1)", originalUrl: "data:text/html,<b>x</b>" });
    const links = feedparser(renderAtom(feedDocument([scripted]))).entries[0]?.links ?? [];
    expect(links.map((l) => l.href)).not.toContain("javascript:alert(1)");
    expect(links.map((l) => l.href)).not.toContain("data:text/html,<b>x</b>");
    expect(links.filter((l) => l.rel === "alternate").map((l) => l.hreflang)).toEqual(["ca", "uk"]);
  });

  it("names every author, falling back to the agency, and carries categories and one image enclosure", () => {
    const parsed = feedparser(xml);
    expect(parsed.entries[1]?.authors).toEqual([HOSTILE_CLEAN, "Second Author"]);
    expect(parsed.entries[2]?.authors).toEqual(["Ukrinform"]);
    expect(parsed.entries[1]?.tags).toEqual([HOSTILE_CLEAN]);
    // The video is not the enclosure: the first image is.
    expect(parsed.entries[1]?.enclosures).toEqual([
      { href: "https://x.example/a.jpg?a=1&b=%222%22", type: "image/jpeg", length: null },
    ]);
    expect(parsed.entries[2]?.enclosures).toEqual([]);
    const untyped = feedItem({ media: [{ url: "https://x.example/b.PNG?w=1", type: null, caption: null }] });
    expect(xpathString(renderAtom(feedDocument([untyped])), `${entry(1)}/*[@rel='enclosure']/@type`)).toBe("image/png");
  });

  it("describes the feed: xml:lang, stable id, localized title, self and site links, generator, updated", () => {
    expect(xpathString(xml, `/${ATOM}/@*[local-name()='lang']`)).toBe("es");
    expect(xpathString(xml, `/${ATOM}/*[local-name()='id']`)).toBe("urn:babelwire:feed:es");
    expect(xpathString(xml, `/${ATOM}/*[local-name()='updated']`)).toBe("2024-11-07T12:30:00.000Z");
    expect(xpathString(xml, `/${ATOM}/*[local-name()='generator']`)).toBe("Babelwire");
    expect(xpathString(xml, `/${ATOM}/*[local-name()='link'][@rel='self']/@href`)).toBe(
      "https://babelwire.example/v1/feeds/es.atom?token=a&b",
    );
    expect(xpathString(xml, `/${ATOM}/*[local-name()='link'][@rel='self']/@type`)).toBe("application/atom+xml");
    expect(xpathString(xml, `/${ATOM}/*[local-name()='link'][@rel='alternate']/@href`)).toBe(
      "https://babelwire.example/",
    );
    expect(xpathString(xml, `${entry(1)}/*[local-name()='summary']/@type`)).toBe("text");
    expect(xpathString(xml, `${entry(1)}/*[local-name()='content']/@type`)).toBe("html");
    const catalan = feedparser(renderAtom(feedDocument([feedItem()], "ca")));
    expect(catalan.title).toBe("Babelwire — notícies en català");
    expect(catalan.subtitle).toBe("Notícies d'agència traduïdes al català per Babelwire.");
    expect(catalan.language).toBe("ca");
  });

  it("keeps an entry's id when its title, link and body change", () => {
    const before = feedparser(renderAtom(feedDocument([feedItem()]))).entries[0];
    const changed = feedItem({ title: "Otro título", link: "https://babelwire.example/b", contentHtml: "<p>v2</p>" });
    const after = feedparser(renderAtom(feedDocument([changed]))).entries[0];
    expect(after?.title).toBe("Otro título");
    expect(after?.id).toBe(before?.id);
  });

  it("escapes a hostile feed language in xml:lang and the feed id", () => {
    const weird = renderAtom(feedDocument([feedItem()], `x"><evil a='${HOSTILE}`));
    expect(xmllint(weird)).toEqual({ status: 0, stderr: "" });
  });

  it("renders an empty feed as a valid document", () => {
    const empty = renderAtom(feedDocument([]));
    expect(xmllint(empty)).toEqual({ status: 0, stderr: "" });
    const parsed = feedparser(empty);
    expect(parsed.bozo).toBe(false);
    expect(parsed.entries).toEqual([]);
  });
});
