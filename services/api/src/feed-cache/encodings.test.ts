import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodedBody, preferredEncoding } from "./encodings.ts";
import { renderedFeed } from "./rendered-feed.ts";

describe("preferredEncoding", () => {
  it("takes brotli before gzip, and the higher q first", () => {
    expect(preferredEncoding("gzip, deflate, br")).toBe("br");
    expect(preferredEncoding("gzip")).toBe("gzip");
    expect(preferredEncoding("x-gzip")).toBe("gzip");
    expect(preferredEncoding("br;q=0.5, gzip;q=0.8")).toBe("gzip");
    expect(preferredEncoding("BR")).toBe("br");
    expect(preferredEncoding("*")).toBe("br");
    expect(preferredEncoding("br;q=0, *")).toBe("gzip");
  });

  it("sends the bytes as they are when the reader asks for neither or refuses both", () => {
    expect(preferredEncoding(undefined)).toBeUndefined();
    expect(preferredEncoding("")).toBeUndefined();
    expect(preferredEncoding("identity")).toBeUndefined();
    expect(preferredEncoding("deflate")).toBeUndefined();
    expect(preferredEncoding("br;q=0, gzip;q=0")).toBeUndefined();
    expect(preferredEncoding("*;q=0")).toBeUndefined();
    expect(preferredEncoding("gzip;q=nonsense")).toBeUndefined();
  });
});

describe("encodedBody", () => {
  const feed = renderedFeed(`<rss>${"<item>Київ — «Політика»</item>".repeat(200)}</rss>`, new Date());

  it("compresses each encoding once per rendering and decodes back to the same bytes", async () => {
    const br = encodedBody(feed, "br");
    expect(encodedBody(feed, "br")).toBe(br);
    const gzip = encodedBody(feed, "gzip");
    expect(encodedBody(feed, "gzip")).toBe(gzip);
    expect(brotliDecompressSync(await br).equals(feed.body)).toBe(true);
    expect(gunzipSync(await gzip).equals(feed.body)).toBe(true);
    expect((await br).length).toBeLessThan(feed.body.length / 5);
  });

  it("compresses a new rendering of the feed afresh", async () => {
    const next = renderedFeed(`${feed.body.toString()}<!-- next -->`, new Date());
    expect(encodedBody(next, "br")).not.toBe(encodedBody(feed, "br"));
    expect(brotliDecompressSync(await encodedBody(next, "br")).toString()).toContain("<!-- next -->");
  });
});
