import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createApertiumEngine } from "../engines/apertium/apertium.ts";
import type { MemoryStore } from "../memory/memory-store.ts";
import { translateWithMemory } from "../memory/translate-with-memory.ts";
import { createApertiumLexicon } from "./lexicon.ts";

/**
 * The names test set (testdata/wire-names.json): wire sentences naming people whose names are
 * also common words, through the real Apertium, without a glossary. "Before" is the engine
 * alone; "after" is the translation path with names found and protected. The README quotes the
 * figures this prints.
 */
interface Item {
  text: string;
  names: string[];
  translated?: Record<string, string[]>;
}
const set = JSON.parse(readFileSync(new URL("../../testdata/wire-names.json", import.meta.url), "utf8")) as {
  items: Item[];
};

/** How often `name` stands as a whole in `text`. */
function occurrences(text: string, name: string): number {
  return text.split(name).length - 1 - (text.match(new RegExp(`[\\p{L}]${name}|${name}[\\p{L}]`, "gu"))?.length ?? 0);
}

// No glossary and no memory: the engine is asked afresh for every sentence.
const memory: MemoryStore = {
  listGlossary: async () => [],
  lookupMemory: async () => new Map(),
  rememberSegments: async (_pair, entries) => entries.length,
  recordEngineUsage: async () => {},
};
const engine = createApertiumEngine();
const lexicon = createApertiumLexicon();

describe.each(["es", "ca"])("the names test set, en→%s through Apertium", (to) => {
  it("keeps every name as written, and still translates the places and organisations Apertium translates", async () => {
    let names = 0;
    let keptBefore = 0;
    let keptAfter = 0;
    let places = 0;
    let placesBefore = 0;
    let placesAfter = 0;
    const lost: string[] = [];
    // The engine alone, every sentence in one request (Apertium keeps them apart).
    const alone = await engine.translate({
      from: "en",
      to,
      format: "text",
      segments: set.items.map((item) => item.text),
    });
    for (const [index, item] of set.items.entries()) {
      const request = { from: "en", to, format: "text" as const, segments: [item.text] };
      const raw = alone.segments[index] ?? "";
      const ours =
        (await translateWithMemory(memory, [engine], { ...request, lexicon, freshEngineRun: true })).targets[0] ?? "";
      for (const name of item.names) {
        const needed = occurrences(item.text, name);
        names++;
        if (occurrences(raw, name) >= needed) keptBefore++;
        if (occurrences(ours, name) >= needed) keptAfter++;
        else lost.push(`${name}: ${ours}`);
      }
      for (const place of item.translated?.[to] ?? []) {
        places++;
        if (raw.toLowerCase().includes(place.toLowerCase())) placesBefore++;
        if (ours.toLowerCase().includes(place.toLowerCase())) placesAfter++;
        else lost.push(`${place} not translated: ${ours}`);
      }
    }
    const share = (count: number, total: number) => `${count}/${total} (${Math.round((100 * count) / total)}%)`;
    console.log(
      `names en→${to}: kept ${share(keptBefore, names)} before, ${share(keptAfter, names)} after; ` +
        `places and organisations translated ${share(placesBefore, places)} before, ${share(placesAfter, places)} after`,
    );
    expect(lost).toEqual([]);
    expect(keptAfter).toBe(names);
    expect(placesAfter).toBeGreaterThanOrEqual(placesBefore);
  }, 600_000);
});
