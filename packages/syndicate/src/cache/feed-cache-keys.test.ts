import { describe, expect, it } from "vitest";
import {
  type FeedKeyParts,
  feedCacheKey,
  feedGenerationKey,
  generationMessage,
  invalidateFeeds,
  parseGenerationMessage,
} from "./feed-cache-keys.ts";

const base: FeedKeyParts = { lang: "es", format: "rss", limit: 50 };

describe("feedCacheKey", () => {
  it("names language, generation, format and every filter under the hash-tagged prefix", () => {
    expect(feedCacheKey("{babelwire}", base, 0)).toBe("{babelwire}:feed:es:g0:rss:-:-:50");
    const source = "0b7e3c9a-8d1f-4f0e-9a77-2a4c2f9e1d00";
    expect(feedCacheKey("{babelwire}", { ...base, format: "atom", source, category: "Política", limit: 10 }, 7)).toBe(
      `{babelwire}:feed:es:g7:atom:${source}:Pol%C3%ADtica:10`,
    );
    expect(feedGenerationKey("{babelwire}", "es")).toBe("{babelwire}:feedgen:es");
  });

  it("gives different filters, formats and generations different keys", () => {
    const keys = [
      feedCacheKey("p", base, 1),
      feedCacheKey("p", base, 2),
      feedCacheKey("p", { ...base, format: "json" }, 1),
      feedCacheKey("p", { ...base, lang: "ca" }, 1),
      feedCacheKey("p", { ...base, limit: 49 }, 1),
      feedCacheKey("p", { ...base, category: "-" }, 1),
      feedCacheKey("p", { ...base, category: "a:b" }, 1),
      feedCacheKey("p", { ...base, source: "a", category: "b" }, 1),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("gives a partner's source set a part of its own, the same in any order, and none to readers of every source", () => {
    const [a, b] = ["0b7e3c9a-8d1f-4f0e-9a77-2a4c2f9e1d00", "5c1f8e2a-3b4d-4e6f-8a9b-0c1d2e3f4a5b"];
    const both = feedCacheKey("p", { ...base, sources: [a, b] }, 1);
    expect(both).toMatch(/^p:feed:es:g1:rss:-:-:50:s[0-9a-f]{16}$/);
    expect(feedCacheKey("p", { ...base, sources: [b, a, b] }, 1)).toBe(both);
    expect(feedCacheKey("p", { ...base, sources: [a] }, 1)).not.toBe(both);
    expect(feedCacheKey("p", { ...base, sources: [] }, 1)).not.toBe(feedCacheKey("p", base, 1));
    expect(feedCacheKey("p", { ...base, sources: undefined }, 1)).toBe(feedCacheKey("p", base, 1));
  });

  it("keeps a colon in a category from shifting the other fields", () => {
    const key = feedCacheKey("p", { ...base, category: "x:50" }, 3);
    expect(key.split(":")).toEqual(["p", "feed", "es", "g3", "rss", "-", "x%3A50", "50"]);
  });

  it("encodes a category holding a lone surrogate instead of throwing", () => {
    expect(feedCacheKey("p", { ...base, category: "a\uD800" }, 0)).toBe("p:feed:es:g0:rss:-:a%EF%BF%BD:50");
  });
});

describe("invalidateFeeds", () => {
  it("bumps the language's generation counter, the one part of the key that changes, and announces it", async () => {
    const counters = new Map<string, number>();
    const announced: [string, string][] = [];
    const redis = {
      async incr(key: string) {
        const next = (counters.get(key) ?? 0) + 1;
        counters.set(key, next);
        return next;
      },
      async publish(channel: string, message: string) {
        announced.push([channel, message]);
        return 1;
      },
    };
    expect(await invalidateFeeds(redis, "{bw}", "es")).toBe(1);
    expect(await invalidateFeeds(redis, "{bw}", "es")).toBe(2);
    expect([...counters]).toEqual([["{bw}:feedgen:es", 2]]);
    expect(announced).toEqual([
      ["{bw}:feedgen", "es 1"],
      ["{bw}:feedgen", "es 2"],
    ]);
  });
});

describe("generation messages", () => {
  it("read back what they wrote and refuse anything else", () => {
    expect(parseGenerationMessage(generationMessage({ lang: "pt-BR", generation: 12 }))).toEqual({
      lang: "pt-BR",
      generation: 12,
    });
    for (const bad of ["", "es", "es x", "es -1", "es 1 2", " 3"]) expect(parseGenerationMessage(bad)).toBeNull();
  });
});
