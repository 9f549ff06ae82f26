import { describe, expect, it } from "vitest";
import { parseXmlTree, XmlSyntaxError } from "./xml-tree.ts";

function syntaxError(xml: string): XmlSyntaxError {
  try {
    parseXmlTree(xml);
  } catch (error) {
    if (error instanceof XmlSyntaxError) return error;
    throw error;
  }
  throw new Error("expected an XmlSyntaxError");
}

describe("parseXmlTree", () => {
  it("keeps text, CDATA and elements in order, entities and references decoded", () => {
    const root = parseXmlTree(
      '<?xml version="1.0"?><!-- c --><a x="1 &amp; 2" y=\'q\'>one &lt;<![CDATA[<two>]]>&#x41;&#66;<b/>three</a>',
    );
    expect(root).toEqual({
      name: "a",
      attributes: { x: "1 & 2", y: "q" },
      children: ["one <<two>AB", { name: "b", attributes: {}, children: [] }, "three"],
    });
  });

  it("reads HTML's named entities, with HTML 4's angle brackets", () => {
    expect(parseXmlTree("<t>caf&eacute;&nbsp;&lang;x&rang;</t>").children).toEqual(["café\u00a0\u2329x\u232a"]);
  });

  it("allows whitespace, a declaration and comments before the root", () => {
    expect(parseXmlTree('\n <?xml version="1.0"?>\n<!-- x --><rss/>\n').name).toBe("rss");
  });

  it("skips a DOCTYPE, even one with an internal subset", () => {
    expect(parseXmlTree('<!DOCTYPE rss [<!ATTLIST a b CDATA "c>">]><rss/>').name).toBe("rss");
    // Lower case is not XML, but the parser feeds were read with before took it.
    expect(parseXmlTree('<!doctype rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"><rss/>').name).toBe("rss");
  });

  it("reports an unbalanced tag, an unknown entity and a bare ampersand with line and column", () => {
    expect(syntaxError("<a>\n  <b></a>")).toMatchObject({ line: 2, column: 6 });
    expect(syntaxError("<a>&bogus;</a>").message).toMatch(/^undefined entity at line 1/);
    expect(syntaxError("<a>Tom & Jerry</a>").message).toMatch(/bare ampersand/);
  });

  it("refuses unquoted attributes, text outside the root, a second root and an unclosed root", () => {
    expect(syntaxError("<a b=c></a>").message).toMatch(/malformed tag/);
    expect(syntaxError("junk<a/>").message).toMatch(/outside the root/);
    expect(syntaxError("<a/><b/>").message).toMatch(/second root/);
    expect(syntaxError("<a><b></b>").message).toMatch(/^unclosed element at line 1/);
  });

  it("refuses elements nested absurdly deep instead of overflowing the stack later", () => {
    expect(syntaxError("<a>".repeat(5000)).message).toMatch(/nested deeper/);
  });

  it("names RSS's own prefixed elements as RSS writes them, while closing tags must repeat the prefix", () => {
    const root = parseXmlTree(
      '<r:rss xmlns:r="http://purl.org/rss/1.0/"><r:channel><r:Title>t</r:Title></r:channel></r:rss>',
    );
    expect(root.name).toBe("rss");
    expect(root.children[0]).toMatchObject({ name: "channel", children: [{ name: "title", children: ["t"] }] });
    expect(syntaxError('<r:rss xmlns:r="http://purl.org/rss/1.0/"><r:channel></channel></r:rss>').message).toMatch(
      /^unexpected closing tag at line/,
    );
  });

  it("forgets a prefix binding when the element that made it closes", () => {
    const root = parseXmlTree('<a><r:b xmlns:r="http://purl.org/rss/1.0/"><r:c/></r:b><r:c/></a>');
    expect(root.children).toMatchObject([{ name: "b", children: [{ name: "c" }] }, { name: "r:c" }]);
  });

  it("reads a character reference to a C1 control as the windows-1252 character HTML reads", () => {
    expect(parseXmlTree("<t>don&#146;t &#x80;5 &#x81;</t>").children).toEqual(["don\u2019t \u20ac5 \u0081"]);
  });
});
