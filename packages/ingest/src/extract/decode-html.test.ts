import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeHtml } from "./decode-html.ts";

const RUSSIAN = "Привет, мир! Новости дня";

describe("decodeHtml", () => {
  it("decodes by <meta charset> when the HTTP header names no charset", () => {
    const bytes = iconv.encode(
      `<html><head><meta charset="windows-1251"></head><body>${RUSSIAN}</body></html>`,
      "win1251",
    );
    expect(decodeHtml(bytes, "text/html")).toContain(RUSSIAN);
  });

  it("decodes by the http-equiv Content-Type meta of older pages", () => {
    const page = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=koi8-r"></head><body>${RUSSIAN}</body></html>`;
    expect(decodeHtml(iconv.encode(page, "koi8-r"), null)).toContain(RUSSIAN);
  });

  it("lets the HTTP charset win over a <meta> that disagrees", () => {
    const bytes = iconv.encode(`<html><head><meta charset="koi8-r"></head><body>${RUSSIAN}</body></html>`, "win1251");
    expect(decodeHtml(bytes, "text/html; charset=windows-1251")).toContain(RUSSIAN);
  });

  it("honours a UTF-8 byte order mark over any label and drops it", () => {
    const page = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`<meta charset="windows-1251">${RUSSIAN}`),
    ]);
    const text = decodeHtml(page, "text/html; charset=iso-8859-1");
    expect(text.startsWith("<meta")).toBe(true);
    expect(text).toContain(RUSSIAN);
  });

  it("reads unlabelled bytes that are not UTF-8 as windows-1252", () => {
    const bytes = iconv.encode("<p>Notícias “última”</p>", "windows-1252");
    expect(decodeHtml(bytes, null)).toContain("Notícias “última”");
  });
});
