import { CodedError } from "@babelwire/core";
import { decodeEntities } from "@babelwire/html";
import type { LanguagePair, TranslateRequest, TranslateResult, TranslationEngine } from "../engine.ts";
import { createApyTransport } from "./apertium-apy.ts";
import { modeNameForPair, pairFromModeName } from "./apertium-codes.ts";
import { createCommandTransport } from "./apertium-command.ts";
import { packDocuments, unwrapSegments, withWhitespaceOf, wrapSegment } from "./apertium-document.ts";
import { stripUnknownMarks } from "./apertium-marks.ts";
import type { ApertiumTransport } from "./apertium-transport.ts";

export interface ApertiumEngineOptions {
  /** An APy server; unset, the local `apertium` command is run. */
  apyUrl?: string;
  /** The command to run, `apertium` by default. */
  command?: string;
  /** Where the command's language data may be installed (the first found is used); the packages' and a source build's by default. */
  dataDirs?: readonly string[];
  /** Limit for one call to Apertium, 60 s by default. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_DATA_DIRS = ["/usr/share/apertium", "/usr/local/share/apertium"];

/**
 * Apertium, the rule-based engine that needs no account and no network. All segments of a
 * request go through it as one document (one process start, shared context), and come back
 * split, with unknown-word marks removed and the marked words reported for QA.
 */
export function createApertiumEngine(options: ApertiumEngineOptions = {}): TranslationEngine {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = options.apyUrl
    ? createApyTransport({ apyUrl: options.apyUrl, timeoutMs })
    : createCommandTransport({
        command: options.command ?? "apertium",
        dataDirs: options.dataDirs ?? DEFAULT_DATA_DIRS,
        timeoutMs,
      });
  let pairs: LanguagePair[] | undefined;

  async function languages(): Promise<LanguagePair[]> {
    pairs ??= pairsFromModes(await transport.modes());
    return pairs;
  }

  async function modeFor(from: string, to: string): Promise<string> {
    const mode = modeNameForPair(from, to);
    const offered = await languages();
    if (!mode || !offered.some((pair) => pair.from === from && pair.to === to)) {
      throw new CodedError("ENGINE_PAIR_UNSUPPORTED", `Apertium does not translate ${from} to ${to} here.`, {
        permanent: true,
      });
    }
    return mode;
  }

  return {
    name: "apertium",
    languages,
    async translate(request) {
      return translateSegments(transport, await modeFor(request.from, request.to), request);
    },
  };
}

function pairsFromModes(modes: string[]): LanguagePair[] {
  return modes.flatMap((mode) => {
    const pair = pairFromModeName(mode);
    return pair ? [pair] : [];
  });
}

async function translateSegments(
  transport: ApertiumTransport,
  mode: string,
  request: TranslateRequest,
): Promise<TranslateResult> {
  // Blank segments need no engine; they come back as they went.
  const sent = request.segments.flatMap((segment, index) => (segment.trim() ? [index] : []));
  const wrapped = sent.map((index, position) => wrapSegment(position, request.segments[index] ?? "", request.format));
  const outputs: string[] = [];
  for (const document of packDocuments(wrapped, transport.maxDocumentChars)) {
    outputs.push(await transport.translateHtml(mode, document));
  }
  const translated = unwrapSegments(outputs.join("\n"), sent.length);

  const segments = [...request.segments];
  const unknownWords = new Set<string>();
  let charactersSent = 0;
  sent.forEach((index, position) => {
    const source = request.segments[index] ?? "";
    const stripped = stripUnknownMarks(translated[position] ?? "");
    for (const word of stripped.words) unknownWords.add(word);
    const target = request.format === "text" ? decodeEntities(stripped.html) : stripped.html;
    segments[index] = withWhitespaceOf(source, target);
    charactersSent += source.length;
  });
  return { segments, unknownWords: [...unknownWords], charactersSent };
}
