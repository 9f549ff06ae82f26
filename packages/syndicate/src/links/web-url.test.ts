import { describe, expect, it } from "vitest";
import { webUrl } from "./web-url.ts";

describe("webUrl", () => {
  it("keeps an ordinary http(s) URL as it is", () => {
    expect(webUrl("https://www.ukrinform.net/rubric-polytics/3925071.html?a=1&b=2#top")).toBe(
      "https://www.ukrinform.net/rubric-polytics/3925071.html?a=1&b=2#top",
    );
    expect(webUrl("http://example.org/")).toBe("http://example.org/");
  });

  it("percent-encodes what RFC 3986 refuses: quotes, angle brackets, pipes, spaces, non-ASCII", () => {
    expect(webUrl('https://x.example/a b/é?q="<x>"|^`{}')).toBe(
      "https://x.example/a%20b/%C3%A9?q=%22%3Cx%3E%22%7C%5E%60%7B%7D",
    );
  });

  it("refuses anything but http(s), and what does not parse", () => {
    for (const url of ["javascript:alert(1)", "data:text/html,<b>", "ftp://x.example/", "/relative", "", null]) {
      expect(webUrl(url), String(url)).toBeNull();
    }
  });
});
