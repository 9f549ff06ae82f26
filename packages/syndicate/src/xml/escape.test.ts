import { describe, expect, it } from "vitest";
import { xmllint, xpathString } from "../testing/xmllint.ts";
import { cdata, escapeXml, stripInvalidXmlChars } from "./escape.ts";

const HOSTILE = `a & b < c > d "e" 'f' ]]> </x><script>alert(1)</script> 🦊 مرحبا שלום\ttab\nline\r\nend`;

describe("stripInvalidXmlChars", () => {
  it("removes C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF", () => {
    expect(stripInvalidXmlChars("a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\uFFFEh\uFFFFi")).toBe("abcdefghi");
    expect(stripInvalidXmlChars("tab\tlf\ncr\r")).toBe("tab\tlf\ncr\r");
  });

  it("removes lone surrogates and keeps surrogate pairs", () => {
    expect(stripInvalidXmlChars("x\uD83Dy\uDE00z")).toBe("xyz");
    expect(stripInvalidXmlChars("\uDE00\uD83D")).toBe("");
    expect(stripInvalidXmlChars("fox 🦊 and 😀")).toBe("fox 🦊 and 😀");
  });
});

describe("escapeXml", () => {
  it("escapes the five XML specials and whitespace a parser would otherwise rewrite", () => {
    expect(escapeXml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&apos;");
    expect(escapeXml("a\tb\nc\rd")).toBe("a&#9;b&#10;c&#13;d");
  });

  it("reads back exactly from element text and from an attribute", () => {
    const text = `${HOSTILE}\u0001`;
    const xml = `<x a="${escapeXml(text)}">${escapeXml(text)}</x>`;
    expect(xmllint(xml)).toEqual({ status: 0, stderr: "" });
    expect(xpathString(xml, "/x")).toBe(HOSTILE);
    expect(xpathString(xml, "/x/@a")).toBe(HOSTILE);
  });
});

describe("cdata", () => {
  it("splits every ]]> so content cannot close the section early", () => {
    expect(cdata("a]]>b]]>")).toBe("<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>]]>");
  });

  it("reads back exactly as the original text, minus characters XML cannot hold", () => {
    const text = `]]>${HOSTILE}]]]]>\u0002\uFFFF<![CDATA[`;
    const xml = `<x>${cdata(text)}<y/></x>`;
    expect(xmllint(xml)).toEqual({ status: 0, stderr: "" });
    expect(xpathString(xml, "/x")).toBe(`]]>${HOSTILE.replace("\r\n", "\n")}]]]]><![CDATA[`);
    expect(xpathString(xml, "count(/x/y)")).toBe("1");
  });
});
