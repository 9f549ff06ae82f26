import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { toApertiumCode } from "../engines/apertium/apertium-codes.ts";

/**
 * What a language's dictionary says of single words: used to tell people's names from words an
 * engine translates (names), and to tell a word an engine capitalised by mistake from a proper
 * noun (style repair). Apertium's morphological analysers are the dictionary: they are installed
 * wherever the offline engine is (the image, `npm start`'s bootstrap), whatever the engine chain.
 */
export interface Lexicon {
  /**
   * Each word's readings in `lang`, analysed with the dictionary of the pair `lang`→`other`
   * when there is one (the analyser the engine itself uses), else any of `lang`'s. Undefined
   * when no dictionary for `lang` is installed.
   */
  analyse(lang: string, other: string, words: readonly string[]): Promise<Map<string, WordReadings> | undefined>;
}

export interface Reading {
  lemma: string;
  /** Apertium's tags, part of speech first: `np ant m sg` for a man's first name. */
  tags: string[];
}

export interface WordReadings {
  /** False when the analyser does not know the word at all. */
  known: boolean;
  readings: Reading[];
}

const MODES_DIRS = ["/usr/share/apertium/modes", "/usr/local/share/apertium/modes"];
/** Words kept per analyser between articles: names recur, and a miss is one lt-proc run. */
const CACHE_LIMIT = 50_000;

export interface ApertiumLexiconOptions {
  /** Where Apertium's `.mode` files are; the system's by default. */
  modesDirs?: readonly string[];
  /** The analyser command, `lt-proc` by default. */
  command?: string;
}

/**
 * A lexicon read through `lt-proc -w` with an installed pair's `.automorf.bin` (found through
 * its `.mode` file): one short process per batch of words not seen before.
 */
export function createApertiumLexicon(options: ApertiumLexiconOptions = {}): Lexicon {
  const modesDirs = options.modesDirs ?? MODES_DIRS;
  const command = options.command ?? "lt-proc";
  const analysers = new Map<string, string[]>();
  const caches = new Map<string, Map<string, WordReadings>>();
  let broken = false;

  function analysersFor(lang: string, other: string): string[] {
    const key = `${lang}>${other}`;
    let found = analysers.get(key);
    if (!found) {
      found = findAnalysers(modesDirs, lang, other);
      analysers.set(key, found);
    }
    return found;
  }

  async function analyseWith(binary: string, words: readonly string[]): Promise<Map<string, WordReadings>> {
    let cache = caches.get(binary);
    if (!cache) {
      cache = new Map();
      caches.set(binary, cache);
    }
    const wanted = [...new Set(words)].filter((word) => word && !cache.has(word));
    if (wanted.length > 0) {
      const analysed = await runAnalyser(command, binary, wanted);
      if (cache.size + wanted.length > CACHE_LIMIT) cache.clear();
      for (const word of wanted) cache.set(word, analysed.get(word) ?? { known: false, readings: [] });
    }
    return cache;
  }

  return {
    async analyse(lang, other, words) {
      const binaries = broken ? [] : analysersFor(lang, other);
      if (binaries.length === 0) return undefined;
      let caches: Array<Map<string, WordReadings>>;
      try {
        caches = await Promise.all(binaries.map((binary) => analyseWith(binary, words)));
      } catch {
        // No lt-proc after all: carry on without a dictionary rather than fail translations.
        broken = true;
        return undefined;
      }
      // Every installed dictionary of the language speaks: eng-cat knows "Gray" as a surname, eng-spa does not.
      const answer = new Map<string, WordReadings>();
      for (const word of words) {
        const all = caches.map((cache) => cache.get(word)).filter((entry) => entry !== undefined);
        answer.set(word, {
          known: all.some((entry) => entry.known),
          readings: all.flatMap((entry) => entry.readings),
        });
      }
      return answer;
    },
  };
}

/** The `.automorf.bin` files the modes from `lang` start with, that of mode `lang-other` first. */
function findAnalysers(modesDirs: readonly string[], lang: string, other: string): string[] {
  const source = toApertiumCode(lang);
  if (!source) return [];
  const found: string[] = [];
  const target = toApertiumCode(other);
  for (const dir of modesDirs) {
    if (!existsSync(dir)) continue;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    const candidates = names
      .filter((name) => name.startsWith(`${source}-`) && name.endsWith(".mode"))
      .sort((a, b) => rank(a) - rank(b));
    function rank(name: string): number {
      if (target && name === `${source}-${target}.mode`) return 0;
      return name.includes("_") ? 2 : 1;
    }
    for (const name of candidates) {
      const binary = analyserIn(path.join(dir, name));
      if (binary && !found.includes(binary)) found.push(binary);
    }
  }
  return found;
}

function analyserIn(modeFile: string): string | undefined {
  try {
    const mode = readFileSync(modeFile, "utf8");
    const first = mode.split("|")[0] ?? "";
    if (!/\blt-proc\b/.test(first)) return undefined;
    const binary = /'([^']+\.automorf\.bin)'|(\S+\.automorf\.bin)/.exec(first);
    const file = binary?.[1] ?? binary?.[2];
    return file && existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Apertium's stream format reserves these; a word holding one is escaped with a backslash. */
function escapeStream(word: string): string {
  return word.replace(/[\\^$/<>[\]{}@*#+~]/g, "\\$&");
}

function unescapeStream(text: string): string {
  return text.replace(/\\(.)/g, "$1");
}

/** Every word alone between superblanks, so no two words are read as one multiword entry. */
async function runAnalyser(
  command: string,
  binary: string,
  words: readonly string[],
): Promise<Map<string, WordReadings>> {
  const input = words.map((word) => `${escapeStream(word.replace(/\s+/g, " "))}[][\n]`).join("");
  const output = await run(command, ["-w", binary], input);
  const analysed = new Map<string, WordReadings>();
  // One chunk per word, in input order; a word the analyser split (`Zxq's` → `Zxq` + `'s`) has several units.
  const superblanks = output.split(/\[\]\[\n\]/);
  words.forEach((word, index) => {
    const chunk = superblanks[index] ?? "";
    const inChunk = [...chunk.matchAll(/\^((?:\\.|[^/$\\])*)\/((?:\\.|[^$\\])*)\$/g)];
    if (inChunk.length !== 1) {
      analysed.set(word, {
        known: inChunk.length > 0 && inChunk.every((match) => !match[2]?.startsWith("*")),
        readings: [],
      });
      return;
    }
    analysed.set(word, parseUnit(inChunk[0]?.[2] ?? ""));
  });
  return analysed;
}

function parseUnit(analyses: string): WordReadings {
  if (analyses.startsWith("*")) return { known: false, readings: [] };
  const readings = analyses
    .split(/(?<!\\)\//)
    .map((reading) => {
      const lemma = unescapeStream(/^(?:\\.|[^<])*/.exec(reading)?.[0] ?? "");
      const tags = [...reading.matchAll(/<([^>]+)>/g)].map((tag) => tag[1] ?? "");
      return { lemma, tags };
    })
    .filter((reading) => reading.tags.length > 0);
  return { known: true, readings };
}

function run(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "ignore"] });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(chunks).toString("utf8"));
      else reject(new Error(`${command} exited with ${code}`));
    });
    child.stdin.on("error", () => {
      // The process ended first; its exit code says why.
    });
    child.stdin.end(input, "utf8");
  });
}
