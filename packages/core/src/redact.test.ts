import { describe, expect, it } from "vitest";
import { redactSecrets, redactUrl } from "./redact.ts";

describe("secrets in URLs and text", () => {
  it("masks user info and sensitive query values in any spelling, and leaves the rest", () => {
    expect(redactUrl("https://ana:s3cret@wire.example/feed.xml?api_key=K123&lang=en")).toBe(
      "https://[redacted]@wire.example/feed.xml?api_key=[redacted]&lang=en",
    );
    expect(redactUrl("/v1/feeds/es.rss?%74oken=bw_abc&limit=5")).toBe("/v1/feeds/es.rss?%74oken=[redacted]&limit=5");
    expect(redactUrl("/v1/feeds/es.rss?TOKEN=x#top")).toBe("/v1/feeds/es.rss?TOKEN=[redacted]#top");
    expect(redactUrl("https://wire.example/a?b=c")).toBe("https://wire.example/a?b=c");
  });

  it("masks URLs, tokens and webhook secrets inside free text", () => {
    const text =
      'fetch https://u:p@h.example/x?key=1 failed; secret "whsec_abcdefghijklmnop" and bw_0123456789abcdef leaked';
    const redacted = redactSecrets(text);
    for (const secret of ["u:p@", "key=1", "whsec_abcdefghijklmnop", "bw_0123456789abcdef"]) {
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain("h.example/x");
  });
});
