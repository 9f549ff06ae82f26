import { CodedError } from "@babelwire/core";
import { decodeEntities as decodeText, escapeHtml as escapeText } from "@babelwire/html";
import { describe, expect, it } from "vitest";
import { packDocuments, unwrapSegments, withWhitespaceOf, wrapSegment } from "./apertium-document.ts";

describe("the Apertium document of wrapped segments", () => {
  it("unwraps what it wrapped, in order", () => {
    const wrapped = ["<p>a</p>", "b & c"].map((segment, index) => wrapSegment(index, segment, "html"));
    expect(unwrapSegments(wrapped.join("\n"), 2)).toEqual(["<p>a</p>", "b & c"]);
  });

  it("escapes plain text so that decoding gives it back", () => {
    const text = "a < b && c > d &amp; e";
    const wrapped = wrapSegment(0, text, "text");
    expect(wrapped).not.toContain("< b");
    const [inner = ""] = unwrapSegments(wrapped, 1);
    expect(decodeText(inner)).toBe(text);
    expect(decodeText(escapeText(text))).toBe(text);
  });

  it("decodes the numeric and named entities Apertium's reformatter may write", () => {
    expect(decodeText("&#169; &#xE9; &quot;x&quot; &nbsp; &unknown;")).toBe('© é "x" \u00a0 &unknown;');
  });

  it("throws ENGINE_BAD_OUTPUT when a marker is lost or out of order", () => {
    const document = [wrapSegment(0, "a", "html"), wrapSegment(1, "b", "html")].join("\n");
    expect(() => unwrapSegments(document, 3)).toThrow(CodedError);
    const swapped = document.replace('data-bw-seg="0"', 'data-bw-seg="9"');
    expect(() => unwrapSegments(swapped, 2)).toThrow(/segment markers/);
    try {
      unwrapSegments(document.replace('data-bw-seg="1"', "x"), 2);
      expect.unreachable();
    } catch (error) {
      expect(error instanceof CodedError && error.code).toBe("ENGINE_BAD_OUTPUT");
    }
  });

  it("packs segments into documents no longer than the limit, an oversized one alone", () => {
    const pieces = ["a".repeat(400), "b".repeat(400), "c".repeat(400), "d".repeat(1500), "e".repeat(10)];
    const documents = packDocuments(pieces, 1000);
    expect(documents).toEqual([`${pieces[0]}\n${pieces[1]}`, pieces[2], pieces[3], pieces[4]]);
    expect(packDocuments(pieces, Number.POSITIVE_INFINITY)).toEqual([pieces.join("\n")]);
  });

  it("gives a translation the source's surrounding whitespace", () => {
    expect(withWhitespaceOf("  a \n", "\nb  ")).toBe("  b \n");
  });
});
