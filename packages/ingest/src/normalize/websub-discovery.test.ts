import { describe, expect, it } from "vitest";
import { parseFeed } from "../parse/parse-feed.ts";
import { discoverWebSub, parseLinkHeader } from "./websub-discovery.ts";

const FETCHED = "https://agency.example/feeds/latest.xml";

describe("WebSub discovery", () => {
  it("reads hub and self from a Link header, several rels and parameters included (websub.rocks subscriber 100)", () => {
    const header =
      '<https://hub.example/>; rel="hub", </feeds/self.xml>; rel="self alternate"; type="application/rss+xml"';
    expect(parseLinkHeader(header)).toEqual({ hubs: ["https://hub.example/"], self: "/feeds/self.xml" });
    expect(discoverWebSub(header, undefined, FETCHED)).toEqual({
      hub: "https://hub.example/",
      topic: "https://agency.example/feeds/self.xml",
    });
  });

  it("reads an Atom feed's link rel=hub and rel=self (websub.rocks subscriber 102)", async () => {
    const atom = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
      <link rel="hub" href="https://hub.example/atom"/><link rel="self" href="https://agency.example/atom.xml"/>
      <updated>2026-12-01T00:00:00Z</updated></feed>`;
    const feed = await parseFeed(atom, { url: FETCHED });
    expect(discoverWebSub(null, feed.websub, FETCHED)).toEqual({
      hub: "https://hub.example/atom",
      topic: "https://agency.example/atom.xml",
    });
  });

  it("reads an RSS channel's atom:link under any prefix, and takes the header first (websub.rocks subscriber 103, 104)", async () => {
    const rss = `<?xml version="1.0"?><rss version="2.0" xmlns:atom10="http://www.w3.org/2005/Atom"><channel><title>R</title>
      <link>https://agency.example/</link><atom10:link rel="hub" href="https://hub.example/rss"/>
      <atom10:link rel="self" href="https://agency.example/rss.xml"/></channel></rss>`;
    const feed = await parseFeed(rss, { url: FETCHED });
    expect(discoverWebSub(null, feed.websub, FETCHED)).toEqual({
      hub: "https://hub.example/rss",
      topic: "https://agency.example/rss.xml",
    });
    const header = '<https://hub.example/header>; rel="hub", <https://agency.example/header.xml>; rel="self"';
    expect(discoverWebSub(header, feed.websub, FETCHED)).toEqual({
      hub: "https://hub.example/header",
      topic: "https://agency.example/header.xml",
    });
  });

  it("finds nothing without a hub, ignores non-http hubs, and falls back to the fetched URL as topic", () => {
    expect(discoverWebSub(null, { hubs: [], self: "https://agency.example/x" }, FETCHED)).toBeNull();
    expect(discoverWebSub('<javascript:alert(1)>; rel="hub"', undefined, FETCHED)).toBeNull();
    expect(discoverWebSub('<https://hub.example/>; rel="hub"', undefined, FETCHED)).toEqual({
      hub: "https://hub.example/",
      topic: FETCHED,
    });
  });
});
