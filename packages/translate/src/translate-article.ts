import { CodedError, errorCode, errorMessage, primaryLanguage } from "@babelwire/core";
import {
  type Db,
  ensureTranslation,
  getArticle,
  getSource,
  type MachineTranslation,
  type Segment,
  type TranslationRow,
  transitionTranslation,
} from "@babelwire/db";
import type { JobInfo, JobPayload, Queues } from "@babelwire/queue";
import { translateWithChain } from "./engines/chain.ts";
import type { TranslationEngine } from "./engines/engine.ts";
import { htmlToText, textToHtml } from "./plain-text.ts";
import { blocksAutoPublish, checkTranslation } from "./qa/check.ts";
import { joinBlocks, splitBlocks } from "./segment/blocks.ts";

export interface TranslateDeps {
  db: Db;
  queues: Queues;
  engines: TranslationEngine[];
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
 * Running it twice changes nothing: a row past `translating` is left alone.
 */
export async function translateArticle(
  deps: TranslateDeps,
  payload: JobPayload<"translate">,
  job: JobInfo,
): Promise<TranslateOutcome> {
  const article = await getArticle(deps.db, payload.articleId);
  if (!article) return { outcome: "skipped", reason: "article deleted" };
  if (article.version > payload.articleVersion) return { outcome: "skipped", reason: "a newer version is queued" };
  const row = await ensureTranslation(deps.db, article.id, payload.lang, article.version);
  if (row.status !== "queued" && row.status !== "translating" && row.status !== "failed") {
    if (row.status === "approved") await deps.queues.enqueuePublish({ translationId: row.id });
    return { outcome: "skipped", reason: `translation is ${row.status}` };
  }
  await transitionTranslation(deps.db, row.id, "start", { actor: SYSTEM, detail: { attempt: job.attempt } });

  const blocks = splitBlocks(article.content_html);
  const sources = [textToHtml(article.title), textToHtml(article.summary), ...blocks];
  let machine: MachineTranslation;
  try {
    machine = await translateSegments(deps, article.language, payload.lang, sources, blocks);
  } catch (error) {
    await recordFailureIfFinal(deps, row, error, job);
    throw error;
  }
  const translated = await transitionTranslation(deps.db, row.id, "finish", { actor: SYSTEM, machine });
  const source = await getSource(deps.db, article.source_id);
  if (source?.review === "auto" && !blocksAutoPublish(machine.qa)) {
    await transitionTranslation(deps.db, row.id, "approve", { actor: SYSTEM, detail: { policy: "auto" } });
    await deps.queues.enqueuePublish({
      translationId: row.id,
      ...(payload.requestId && { requestId: payload.requestId }),
    });
    return { outcome: "translated", translationId: row.id, status: "approved", engine: machine.engine };
  }
  return { outcome: "translated", translationId: row.id, status: translated.status, engine: machine.engine };
}

async function translateSegments(
  deps: TranslateDeps,
  from: string,
  to: string,
  sources: string[],
  blocks: string[],
): Promise<MachineTranslation> {
  if (primaryLanguage(from) === primaryLanguage(to)) {
    throw new CodedError("TRANSLATION_SAME_LANGUAGE", `The article is already in ${to}.`, { permanent: true });
  }
  const result = await translateWithChain(deps.engines, { from, to, format: "html", segments: sources });
  const [title = "", summary = "", ...body] = result.segments;
  const segments: Segment[] = blocks.map((source, index) => ({
    id: `s${index + 1}`,
    source,
    target: body[index] ?? "",
  }));
  return {
    title: htmlToText(title),
    summary: htmlToText(summary),
    contentHtml: joinBlocks(body),
    segments,
    qa: checkTranslation(sources, result.segments, { unknownWords: result.unknownWords }),
    engine: result.engine,
  };
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
