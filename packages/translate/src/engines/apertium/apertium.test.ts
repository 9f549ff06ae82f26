import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CodedError } from "@babelwire/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApertiumEngine } from "./apertium.ts";

const PARAGRAPHS = [
  '<p>The president said <b>the world</b> is changing, according to <a href="https://example.com/x?a=1&amp;b=2">the <em>European</em> report</a>.</p>',
  "<p>NATO and the European Union will meet in Budapest on Thursday.</p>",
];

/** Where the system's Apertium packages put their data. */
const SYSTEM_DATA_DIR = "/usr/share/apertium";

function tagCounts(html: string, tag: string): { open: number; close: number } {
  return {
    open: html.match(new RegExp(`<${tag}[\\s>]`, "g"))?.length ?? 0,
    close: html.match(new RegExp(`</${tag}>`, "g"))?.length ?? 0,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CodedError)) throw new Error(`expected a CodedError, got ${String(error)}`);
  return error;
}

describe("createApertiumEngine with the apertium command", () => {
  const engine = createApertiumEngine({});

  it("offers the installed plain pairs as BCP 47 tags and leaves variant modes out", async () => {
    const pairs = await engine.languages();
    expect(pairs).toContainEqual({ from: "en", to: "es" });
    expect(pairs).toContainEqual({ from: "en", to: "ca" });
    expect(pairs).toContainEqual({ from: "es", to: "en" });
    expect(pairs.every((pair) => /^[a-z]{2,3}$/.test(pair.from) && /^[a-z]{2,3}$/.test(pair.to))).toBe(true);
    expect(new Set(pairs.map((pair) => `${pair.from}-${pair.to}`)).size).toBe(pairs.length);
  });

  it("translates two html paragraphs from English to Spanish keeping every tag balanced and the link intact", async () => {
    const result = await engine.translate({ from: "en", to: "es", format: "html", segments: PARAGRAPHS });
    expect(result.segments).toHaveLength(2);
    const [first = "", second = ""] = result.segments;
    expect(first).toContain("el mundo");
    expect(first).toContain('href="https://example.com/x?a=1&amp;b=2"');
    expect(first.startsWith("<p>")).toBe(true);
    expect(second).toContain("jueves");
    expect(second).toContain("Unión");
    for (const tag of ["p", "a", "b", "em"]) {
      const counts = tagCounts(result.segments.join(""), tag);
      expect(counts.open, tag).toBe(counts.close);
      expect(counts.open, tag).toBeGreaterThan(0);
    }
    expect(result.charactersSent).toBe(PARAGRAPHS.join("").length);
  });

  it("translates English to Catalan", async () => {
    const result = await engine.translate({
      from: "en",
      to: "ca",
      format: "text",
      segments: ["The world is changing.", "The European Union will meet on Thursday."],
    });
    expect(result.segments[0]).toContain("El món");
    expect(result.segments[1]).toContain("Unió Europea");
    expect(result.segments[1]).toContain("dijous");
  });

  it("over-translates the name Donald Trump as Donald Triunfo (glossary protection is needed for names)", async () => {
    const result = await engine.translate({
      from: "en",
      to: "es",
      format: "text",
      segments: ["Donald Trump won the election."],
    });
    expect(result.segments[0]).toContain("Donald Triunfo");
  });

  it("reports unknown words and removes Apertium's *, # and @ marks from the output", async () => {
    const result = await engine.translate({
      from: "en",
      to: "es",
      format: "html",
      segments: ["<p>NATO chief Mark Rutte met Xyzzyplonk in Budapest.</p>"],
    });
    const [segment = ""] = result.segments;
    expect(result.unknownWords).toContain("Rutte");
    expect(result.unknownWords).toContain("Xyzzyplonk");
    expect(segment).toContain("Rutte");
    expect(segment).toContain("Xyzzyplonk");
    expect(segment).not.toMatch(/[*#@]\p{L}/u);
  });

  it("returns one segment per input for 50 segments sent in one call, each translated in place", async () => {
    const segments = Array.from({ length: 50 }, (_, index) => `<p>Paragraph ${index + 1}: the world is big.</p>`);
    const result = await engine.translate({ from: "en", to: "es", format: "html", segments });
    expect(result.segments).toHaveLength(50);
    result.segments.forEach((segment, index) => {
      expect(segment).toContain(`${index + 1}`);
      expect(segment).toContain("el mundo");
    });
  });

  it("round-trips plain text with markup-like characters, line breaks and surrounding whitespace", async () => {
    const segments = ["  Prices < 5 & rising > expected  ", "First line\nsecond line", "", "   "];
    const result = await engine.translate({ from: "en", to: "es", format: "text", segments });
    expect(result.segments).toHaveLength(4);
    const [prices = "", lines = ""] = result.segments;
    expect(prices).toMatch(/^ {2}\S/);
    expect(prices).toMatch(/\S {2}$/);
    expect(prices).toContain("<");
    expect(prices).toContain("&");
    expect(prices).toContain(">");
    expect(prices).not.toContain("&amp;");
    expect(prices).not.toContain("&lt;");
    expect(lines).toContain("\n");
    expect(result.segments[2]).toBe("");
    expect(result.segments[3]).toBe("   ");
    expect(result.charactersSent).toBe("  Prices < 5 & rising > expected  ".length + "First line\nsecond line".length);
  });

  it("keeps text on its own side of a segment boundary even when the sentence continues across it", async () => {
    const result = await engine.translate({
      from: "en",
      to: "es",
      format: "html",
      segments: ["<p>the house</p>", "<p>of the world</p>"],
    });
    expect(result.segments[0]).toMatch(/casa/i);
    expect(result.segments[0]).not.toMatch(/mundo/i);
    expect(result.segments[1]).toMatch(/mundo/i);
  });

  it("rejects a pair Apertium does not have with a permanent ENGINE_PAIR_UNSUPPORTED", async () => {
    const error = await codeOf(engine.translate({ from: "en", to: "fr", format: "text", segments: ["Hello"] }));
    expect(error.code).toBe("ENGINE_PAIR_UNSUPPORTED");
    expect(error.permanent).toBe(true);
    const unknownLanguage = await codeOf(engine.translate({ from: "en", to: "xx", format: "text", segments: ["Hi"] }));
    expect(unknownLanguage.code).toBe("ENGINE_PAIR_UNSUPPORTED");
  });

  it("fails with a transient ENGINE_UNAVAILABLE when the command is not installed", async () => {
    const missing = createApertiumEngine({ command: "/nonexistent/apertium" });
    const error = await codeOf(missing.translate({ from: "en", to: "es", format: "text", segments: ["Hello"] }));
    expect(error.code).toBe("ENGINE_UNAVAILABLE");
    expect(error.permanent).toBe(false);
  });

  it("fails with ENGINE_FAILED when the command exits non-zero", async () => {
    const failing = createApertiumEngine({ command: "false" });
    const error = await codeOf(failing.translate({ from: "en", to: "es", format: "text", segments: ["Hello"] }));
    expect(error.code).toBe("ENGINE_FAILED");
  });

  it("fails with ENGINE_FAILED when a translation outlasts the timeout", async () => {
    // Listing the pairs reads a directory, well inside the limit even on a loaded machine; translating
    // 540 KB takes Apertium over 5 s (about 100 KB/s), well outside it.
    const slow = createApertiumEngine({ timeoutMs: 1500 });
    expect(await slow.languages()).toContainEqual({ from: "en", to: "es" });
    const segments = Array.from({ length: 12_000 }, () => "<p>The world is big and the house is red.</p>");
    const error = await codeOf(slow.translate({ from: "en", to: "es", format: "html", segments }));
    expect(error.code).toBe("ENGINE_FAILED");
    expect(error.message).toMatch(/timed out/);
  });
});

describe("createApertiumEngine finding Apertium's modes", () => {
  let dataDir = "";

  beforeAll(async () => {
    // A data directory with one mode, eng-spa, whose file is the system's eng-cat one (mode files
    // name the installed binaries by absolute path): a Catalan answer shows which file ran.
    dataDir = await mkdtemp(path.join(tmpdir(), "babelwire-apertium-data-"));
    await mkdir(path.join(dataDir, "modes"));
    await copyFile(path.join(SYSTEM_DATA_DIR, "modes", "eng-cat.mode"), path.join(dataDir, "modes", "eng-spa.mode"));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("offers the pairs of the data directory's mode files without running the command", async () => {
    const engine = createApertiumEngine({ command: "/nonexistent/apertium", dataDirs: [dataDir] });
    expect(await engine.languages()).toEqual([{ from: "en", to: "es" }]);
  });

  it("runs the mode files of the directory it listed, and refuses a pair installed elsewhere only", async () => {
    const engine = createApertiumEngine({ dataDirs: ["/nonexistent/apertium-data", dataDir, SYSTEM_DATA_DIR] });
    const result = await engine.translate({ from: "en", to: "es", format: "text", segments: ["The world"] });
    expect(result.segments).toEqual(["El món"]);
    // eng-cat is installed in the system's directory, but not in the one the engine found first.
    const error = await codeOf(engine.translate({ from: "en", to: "ca", format: "text", segments: ["The world"] }));
    expect(error.code).toBe("ENGINE_PAIR_UNSUPPORTED");
    expect(error.permanent).toBe(true);
  });

  it("fails with a transient ENGINE_UNAVAILABLE when no data directory holds modes", async () => {
    const engine = createApertiumEngine({ dataDirs: ["/nonexistent/apertium-data"] });
    const error = await codeOf(engine.languages());
    expect(error.code).toBe("ENGINE_UNAVAILABLE");
    expect(error.permanent).toBe(false);
  });
});
