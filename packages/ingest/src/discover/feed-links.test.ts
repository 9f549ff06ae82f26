import { describe, expect, it } from "vitest";
import { feedLinksOf } from "./feed-links.ts";

describe("feedLinksOf", () => {
  it("finds the feeds a page announces, absolute, in page order, each once", () => {
    const html = `<html><head>
      <link rel="stylesheet" href="/style.css">
      <link rel="alternate" type="application/rss+xml" title="All" href="/feed.xml">
      <LINK REL="Alternate" TYPE="application/atom+xml; charset=utf-8" href="atom.xml">
      <link rel="alternate" type="text/html" hreflang="es" href="/es/">
      <link rel="alternate" type="application/feed+json" href="https://cdn.example/feed.json">
      <link rel="alternate" type="application/rss+xml" href="/feed.xml">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body></body></html>`;
    expect(feedLinksOf(html, "https://news.example/world/page.html")).toEqual([
      "https://news.example/feed.xml",
      "https://news.example/world/atom.xml",
      "https://cdn.example/feed.json",
    ]);
  });

  it("resolves against the page's <base href>", () => {
    const html =
      '<head><base href="https://other.example/blog/"><link rel="alternate" type="application/rss+xml" href="rss"></head>';
    expect(feedLinksOf(html, "https://news.example/")).toEqual(["https://other.example/blog/rss"]);
  });

  it("finds nothing in a page that announces no feed", () => {
    expect(feedLinksOf("<html><body><a href='/feed'>RSS</a></body></html>", "https://news.example/")).toEqual([]);
  });
});
