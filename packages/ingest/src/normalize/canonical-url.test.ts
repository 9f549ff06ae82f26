import { describe, expect, it } from "vitest";
import { canonicalUrl } from "./canonical-url.ts";

describe("canonicalUrl", () => {
  it("drops campaign parameters and the fragment but keeps the rest of the query", () => {
    const url =
      "https://news.example/a?id=7&utm_source=rss&UTM_Medium=x&fbclid=1&gclid=2&mc_cid=3&mc_eid=4&yclid=5&_ga=6#top";
    expect(canonicalUrl(url, [])).toBe("https://news.example/a?id=7");
  });

  it("leaves the spelling of a query without tracking parameters untouched", () => {
    expect(canonicalUrl("https://news.example/a?q=a%20b&x=1", [])).toBe("https://news.example/a?q=a%20b&x=1");
  });

  it("removes the question mark when only tracking parameters were there", () => {
    expect(canonicalUrl("https://news.example/a?utm_campaign=x", [])).toBe("https://news.example/a");
  });

  it("resolves a relative link against the first usable base", () => {
    expect(canonicalUrl("../b/c", [null, "https://news.example/world/feed.xml"])).toBe("https://news.example/b/c");
  });

  it("refuses non-HTTP URLs and unresolvable relative ones", () => {
    expect(canonicalUrl("javascript:alert(1)", ["https://news.example/"])).toBeNull();
    expect(canonicalUrl("/a", ["file:///tmp/feed.xml"])).toBeNull();
    expect(canonicalUrl("/a", [])).toBeNull();
    expect(canonicalUrl("  ", ["https://news.example/"])).toBeNull();
  });
});
