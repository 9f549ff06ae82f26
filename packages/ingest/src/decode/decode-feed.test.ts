import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeFeed } from "./decode-feed.ts";

const RUSSIAN = "Привет, мир! Новости дня";

function feedWith(title: string, declaration = '<?xml version="1.0"?>'): string {
  return `${declaration}<rss version="2.0"><channel><title>${title}</title></channel></rss>`;
}

describe("decodeFeed", () => {
  it("decodes windows-1251 bytes named by the HTTP Content-Type charset", () => {
    const bytes = iconv.encode(feedWith(RUSSIAN), "windows-1251");
    expect(decodeFeed(bytes, "application/rss+xml; charset=windows-1251")).toContain(RUSSIAN);
  });

  it("decodes koi8-r bytes named only by the XML declaration", () => {
    const bytes = iconv.encode(feedWith(RUSSIAN, '<?xml version="1.0" encoding="KOI8-R"?>'), "koi8-r");
    const text = decodeFeed(bytes, "text/xml");
    expect(text).toContain(RUSSIAN);
  });

  it("reads valid UTF-8 as UTF-8 despite a declaration claiming ISO-8859-1", () => {
    const bytes = Buffer.from(feedWith("Mãe é presidente — “citação”", '<?xml version="1.0" encoding="ISO-8859-1"?>'));
    expect(decodeFeed(bytes, null)).toContain("Mãe é presidente — “citação”");
  });

  it("reads valid UTF-8 as UTF-8 despite a Content-Type claiming windows-1251", () => {
    const bytes = Buffer.from(feedWith(RUSSIAN));
    expect(decodeFeed(bytes, "text/xml; charset=windows-1251")).toContain(RUSSIAN);
  });

  it("rewrites the declaration's encoding so the string cannot be decoded twice", () => {
    const bytes = iconv.encode(feedWith("café", "<?xml version='1.0' encoding='ISO-8859-1'?>"), "latin1");
    const text = decodeFeed(bytes, null);
    expect(text.startsWith("<?xml version='1.0' encoding='UTF-8'?>")).toBe(true);
    expect(text).toContain("café");
  });

  it("honours a UTF-8 byte order mark and drops it", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(feedWith("Ünïcödé"))]);
    const text = decodeFeed(bytes, "text/xml; charset=iso-8859-1");
    expect(text.startsWith("<?xml")).toBe(true);
    expect(text).toContain("Ünïcödé");
  });

  it("decodes UTF-16LE announced by its byte order mark", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(feedWith(RUSSIAN), "utf-16le")]);
    expect(decodeFeed(bytes, null)).toContain(RUSSIAN);
  });

  it("reads Latin-1 labels as windows-1252 so curly quotes survive", () => {
    const bytes = iconv.encode(feedWith("“quoted” – dash"), "windows-1252");
    expect(decodeFeed(bytes, "text/xml; charset=ISO-8859-1")).toContain("“quoted” – dash");
  });

  it("reads Latin-1 bytes that a declaration wrongly labels UTF-8 as windows-1252, not as replacement characters", () => {
    const bytes = iconv.encode(feedWith("Anaïs et Jürgen", '<?xml version="1.0" encoding="utf-8"?>'), "latin1");
    expect(decodeFeed(bytes, "text/xml; charset=UTF-8")).toContain("Anaïs et Jürgen");
  });

  it("reads unlabelled bytes that are not UTF-8 as windows-1252", () => {
    const bytes = iconv.encode("<rss><channel><title>Notícias última</title></channel></rss>", "latin1");
    expect(decodeFeed(bytes, null)).toContain("Notícias última");
  });

  it("removes control characters that XML 1.0 forbids but keeps tabs and newlines", () => {
    const bytes = Buffer.from(feedWith("a\u0000b\u0008c\u000Bd\u001Fe\tf\ng\rh"));
    expect(decodeFeed(bytes, null)).toContain("<title>abcde\tf\ng\rh</title>");
  });

  it("maps C1 control characters to the windows-1252 characters they stand for", () => {
    // U+0092 and U+0096 written as UTF-8 (C2 92, C2 96): Latin-1 text from a Windows tool, re-encoded.
    const bytes = Buffer.from(feedWith("don\u0092t \u0096 \u0080"), "utf8");
    expect(decodeFeed(bytes, null)).toContain("<title>don\u2019t \u2013 \u20ac</title>");
  });
});
