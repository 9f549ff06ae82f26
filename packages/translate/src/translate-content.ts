import { CodedError, type MachineTranslation, primaryLanguage, type Segment } from "@babelwire/core";
import { escapeHtml, textNodesToLine } from "@babelwire/html";
import type { TranslationEngine } from "./engines/engine.ts";
import { type LeadSource, leadOf } from "./lead.ts";
import type { MemoryStore } from "./memory/memory-store.ts";
import { translateWithMemory } from "./memory/translate-with-memory.ts";
import type { Lexicon } from "./names/lexicon.ts";
import { checkTranslation } from "./qa/check.ts";
import { locateFlags } from "./qa/locate.ts";
import { sanitizeTarget } from "./sanitize-target.ts";
import { joinBlocks, splitBlocks } from "./segment/blocks.ts";

export interface ContentDeps {
  memory: MemoryStore;
  engines: TranslationEngine[];
  /** Finds people's names and repairs case (createApertiumLexicon); unset, neither is done. */
  lexicon?: Lexicon | undefined;
}

/** The article as stored (its columns' names): what is translated of it. */
export interface ContentSource extends LeadSource {
  title: string;
  content_html: string;
}

/**
 * Translates an article's title, lead and body blocks into `to` in one request (so the engine
 * sees them together), through memory, and checks the result: the machine translation the
 * processor stores for review.
 */
export async function translateContent(
  deps: ContentDeps,
  article: ContentSource,
  to: string,
  options: { freshEngineRun: boolean },
): Promise<MachineTranslation> {
  const from = article.language;
  if (primaryLanguage(from) === primaryLanguage(to)) {
    throw new CodedError("TRANSLATION_SAME_LANGUAGE", `The article is already in ${to}.`, { permanent: true });
  }
  const blocks = splitBlocks(article.content_html);
  const sources = [escapeHtml(article.title), escapeHtml(leadOf(article)), ...blocks];
  const result = await translateWithMemory(deps.memory, deps.engines, {
    from,
    to,
    format: "html",
    segments: sources,
    freshEngineRun: options.freshEngineRun,
    context: article.title,
    lexicon: deps.lexicon,
  });
  const [title = "", summary = "", ...translated] = result.targets;
  const body = translated.map(sanitizeTarget);
  const segments: Segment[] = blocks.map((source, index) => ({
    id: `s${index + 1}`,
    source,
    target: body[index] ?? "",
    ...(result.memory[index + 2] && { memory: result.memory[index + 2] }),
  }));
  return {
    title: textNodesToLine(title),
    summary: textNodesToLine(summary),
    contentHtml: joinBlocks(body),
    segments,
    qa: locateFlags(
      checkTranslation(sources, result.targets, {
        unknownWords: result.unknownWords,
        glossaryLost: result.glossaryLost,
        namesLost: result.namesLost,
        pivotUsed: result.pivot,
      }),
      sources,
      result.targets,
      result,
      segmentName,
    ),
    engine: result.engine,
    glossary: result.glossaryForced.map(({ term, translation, sources }) => ({
      term,
      translation,
      segments: sources.map(segmentName),
    })),
  };
}

/** A source's id by its place: the title, the lead, then the body's blocks `s1`, `s2`, … */
function segmentName(index: number): string {
  return index === 0 ? "title" : index === 1 ? "summary" : `s${index - 1}`;
}
