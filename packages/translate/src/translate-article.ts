import { CodedError, errorCode, errorMessage, primaryLanguage } from "@babelwire/core";
import {
  type Db,
  ensureTranslation,
  getArticle,
  getSource,
  listTranslationEvents,
  type MachineTranslation,
  type QaFlag,
  reviewPolicy,
  type Segment,
  type TranslationRow,
  transitionTranslation,
} from "@babelwire/db";
import { escapeHtml, textNodesToLine } from "@babelwire/html";
import type { JobInfo, JobPayload, Queues } from "@babelwire/queue";
import type { TranslationEngine } from "./engines/engine.ts";
import { leadOf } from "./lead.ts";
import { translateWithMemory } from "./memory/translate-with-memory.ts";
import type { Lexicon } from "./names/lexicon.ts";
import { blocksAutoPublish, checkTranslation } from "./qa/check.ts";
import { locateFlags } from "./qa/locate.ts";
import { sanitizeTarget } from "./sanitize-target.ts";
import { joinBlocks, splitBlocks } from "./segment/blocks.ts";

export interface TranslateDeps {
  db: Db;
  queues: Queues;
  engines: TranslationEngine[];
  /** Finds people's names and repairs case (createApertiumLexicon); unset, neither is done. */
  lexicon?: Lexicon | undefined;
}

export type TranslateOutcome =
  | { outcome: "skipped"; reason: string }
  | { outcome: "translated"; translationId: string; status: string; engine: string };

const SYSTEM = "system";

/**
 * Translates one article version into one language, top to bottom: load, claim the
 * translation row, send title, summary and body blocks to the engine chain in one request
 * (so the engine sees them together), check the result, store it for review, and publish
 * it at once when the source's policy is `auto` and QA found no error.
 * Running it twice changes nothing: a row past `translating` is left alone, except one a stopped
 * run left in review before the approval its policy called for.
 */
export async function translateArticle(
  deps: TranslateDeps,
  payload: JobPayload<"translate">,
  job: JobInfo,
): Promise<TranslateOutcome> {
  const article = await getArticle(deps.db, payload.articleId);
  if (!article) return { outcome: "skipped", reason: "article deleted" };
  if (article.withdrawn_at) return { outcome: "skipped", reason: "article withdrawn" };
  if (article.version > payload.articleVersion) return { outcome: "skipped", reason: "a newer version is queued" };
  const row = await ensureTranslation(deps.db, article.id, payload.lang, article.version);
  // A run stopped between storing the translation and approving it (a crash, the database gone)
  // left it in review, untouched since: finish what it started, as it would have.
  if (
    (await untouchedSinceFinish(deps, row)) &&
    (await publishesAtOnce(deps, article.source_id, payload.lang, row.qa))
  ) {
    await approve(deps, row.id, payload);
    return { outcome: "translated", translationId: row.id, status: "approved", engine: row.engine ?? "" };
  }
  if (row.status !== "queued" && row.status !== "translating" && row.status !== "failed") {
    if (row.status === "approved") await deps.queues.enqueuePublish({ translationId: row.id });
    return { outcome: "skipped", reason: `translation is ${row.status}` };
  }
  await transitionTranslation(deps.db, row.id, "start", { actor: SYSTEM, detail: { attempt: job.attempt } });

  const blocks = splitBlocks(article.content_html);
  const sources = [escapeHtml(article.title), escapeHtml(leadOf(article)), ...blocks];
  let machine: MachineTranslation;
  try {
    machine = await translateSegments(deps, article.language, payload.lang, sources, blocks, {
      freshEngineRun: payload.retranslation !== undefined,
      context: article.title,
    });
  } catch (error) {
    await recordFailureIfFinal(deps, row, error, job);
    throw error;
  }
  const translated = await finish(deps, row.id, machine);
  if (!translated) return { outcome: "skipped", reason: "the translation moved on meanwhile (withdrawn?)" };
  if (await publishesAtOnce(deps, article.source_id, payload.lang, machine.qa)) {
    await approve(deps, row.id, payload);
    return { outcome: "translated", translationId: row.id, status: "approved", engine: machine.engine };
  }
  return { outcome: "translated", translationId: row.id, status: translated.status, engine: machine.engine };
}

/** In review with nothing done since the machine stored it: no edit, no decision. */
async function untouchedSinceFinish(deps: TranslateDeps, row: TranslationRow): Promise<boolean> {
  if (row.status !== "in_review") return false;
  const last = (await listTranslationEvents(deps.db, row.id)).at(-1);
  return last?.action === "finish" && last.actor === SYSTEM;
}

/** Whether the source's policy for the language is `auto` or `strict` and QA found nothing that holds it back under it. */
async function publishesAtOnce(deps: TranslateDeps, sourceId: string, lang: string, qa: QaFlag[]): Promise<boolean> {
  const source = await getSource(deps.db, sourceId);
  if (!source) return false;
  const policy = reviewPolicy(source, lang);
  return policy !== "required" && !blocksAutoPublish(qa, policy);
}

async function approve(deps: TranslateDeps, id: string, payload: JobPayload<"translate">): Promise<void> {
  await transitionTranslation(deps.db, id, "approve", { actor: SYSTEM, detail: { policy: "auto" } });
  await deps.queues.enqueuePublish({ translationId: id, ...(payload.requestId && { requestId: payload.requestId }) });
}

async function translateSegments(
  deps: TranslateDeps,
  from: string,
  to: string,
  sources: string[],
  blocks: string[],
  options: { freshEngineRun: boolean; context: string },
): Promise<MachineTranslation> {
  if (primaryLanguage(from) === primaryLanguage(to)) {
    throw new CodedError("TRANSLATION_SAME_LANGUAGE", `The article is already in ${to}.`, { permanent: true });
  }
  const result = await translateWithMemory(deps.db, deps.engines, {
    from,
    to,
    format: "html",
    segments: sources,
    freshEngineRun: options.freshEngineRun,
    context: options.context,
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

/**
 * `translating → in_review`, or undefined when the row was moved meanwhile (an article
 * withdrawn while its engine worked): that is not an error worth retrying.
 */
async function finish(deps: TranslateDeps, id: string, machine: MachineTranslation) {
  try {
    return await transitionTranslation(deps.db, id, "finish", { actor: SYSTEM, machine });
  } catch (error) {
    if (error instanceof CodedError && error.code === "illegal_transition") return undefined;
    throw error;
  }
}

/** On the last attempt (or a permanent error) the row becomes `failed` with the engine's code. */
async function recordFailureIfFinal(
  deps: TranslateDeps,
  row: TranslationRow,
  error: unknown,
  job: JobInfo,
): Promise<void> {
  const permanent = error instanceof CodedError && error.permanent;
  if (!permanent && job.attempt < job.maxAttempts) return;
  await transitionTranslation(deps.db, row.id, "fail", {
    actor: SYSTEM,
    error: { code: errorCode(error, "ENGINE_FAILED"), message: errorMessage(error) },
  });
}
