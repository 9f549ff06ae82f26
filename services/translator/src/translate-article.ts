import { CodedError, errorCode, errorMessage, type MachineTranslation, type QaFlag } from "@babelwire/core";
import {
  type ArticleRow,
  advanceTranslation,
  claimTranslation,
  type Db,
  ensureTranslation,
  getArticleWithReview,
  listTranslationEvents,
  type PipelineStep,
  reviewPolicy,
  type SourceRow,
  type TranslationRow,
  transitionTranslation,
} from "@babelwire/db";
import type { JobInfo, JobPayload, Queues } from "@babelwire/queue";
import { blocksAutoPublish, type Lexicon, type TranslationEngine, translateContent } from "@babelwire/translate";
import { databaseMemory } from "./database-memory.ts";

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
 * translation row, translate title, summary and body (translateContent), store the result for
 * review, and publish it at once when the source's policy is `auto` and QA found no error.
 * Running it twice changes nothing: a row past `translating` is left alone, except one a stopped
 * run left in review before the approval its policy called for.
 */
export async function translateArticle(
  deps: TranslateDeps,
  payload: JobPayload<"translate">,
  job: JobInfo,
): Promise<TranslateOutcome> {
  const article = await getArticleWithReview(deps.db, payload.articleId);
  if (!article) return { outcome: "skipped", reason: "article deleted" };
  if (article.withdrawn_at) return { outcome: "skipped", reason: "article withdrawn" };
  if (article.version > payload.articleVersion) return { outcome: "skipped", reason: "a newer version is queued" };
  // The usual case, a queued row for this version, claimed in one statement; the rest the long way.
  const claimed = await claimTranslation(
    deps.db,
    { articleId: article.id, lang: payload.lang, articleVersion: article.version },
    { attempt: job.attempt },
  );
  const row = claimed ?? (await claimTheLongWay(deps, article, payload, job));
  if ("outcome" in row) return row;

  let machine: MachineTranslation;
  try {
    machine = await translateContent(
      { memory: databaseMemory(deps.db), engines: deps.engines, lexicon: deps.lexicon },
      article,
      payload.lang,
      { freshEngineRun: payload.retranslation !== undefined },
    );
  } catch (error) {
    await recordFailureIfFinal(deps, row, error, job);
    throw error;
  }
  // Under `auto` the machine's text is stored and approved in one statement, never one without the other.
  const approves = publishesAtOnce(article, payload.lang, machine.qa);
  const translated = await advanceTranslation(deps.db, row.id, "translating", [
    { action: "finish", machine },
    ...(approves ? [AUTO_APPROVAL] : []),
  ]);
  // Moved meanwhile (an article withdrawn while its engine worked): not an error worth retrying.
  if (!translated) return { outcome: "skipped", reason: "the translation moved on meanwhile (withdrawn?)" };
  if (approves) await enqueuePublish(deps, row.id, payload);
  return { outcome: "translated", translationId: row.id, status: translated.status, engine: machine.engine };
}

/**
 * Ensures the row, then: finishes what a run stopped between storing and approving started
 * (in review, untouched since, policy `auto`), leaves a row past `translating` alone (queueing
 * the publication of an approved one again), or starts it.
 */
async function claimTheLongWay(
  deps: TranslateDeps,
  article: ArticleRow & Pick<SourceRow, "review" | "review_languages">,
  payload: JobPayload<"translate">,
  job: JobInfo,
): Promise<TranslationRow | TranslateOutcome> {
  const row = await ensureTranslation(deps.db, article.id, payload.lang, article.version);
  // A run stopped between storing the translation and approving it (a crash, the database gone)
  // left it in review, untouched since: finish what it started, as it would have.
  if ((await untouchedSinceFinish(deps, row)) && publishesAtOnce(article, payload.lang, row.qa)) {
    await approve(deps, row.id, payload);
    return { outcome: "translated", translationId: row.id, status: "approved", engine: row.engine ?? "" };
  }
  if (row.status !== "queued" && row.status !== "translating" && row.status !== "failed") {
    if (row.status === "approved") await deps.queues.enqueuePublish({ translationId: row.id });
    return { outcome: "skipped", reason: `translation is ${row.status}` };
  }
  return move(deps, row.id, row.status, [{ action: "start", detail: { attempt: job.attempt } }]);
}

/** In review with nothing done since the machine stored it: no edit, no decision. */
async function untouchedSinceFinish(deps: TranslateDeps, row: TranslationRow): Promise<boolean> {
  if (row.status !== "in_review") return false;
  const last = (await listTranslationEvents(deps.db, row.id)).at(-1);
  return last?.action === "finish" && last.actor === SYSTEM;
}

/** Whether the source's policy for the language is `auto` or `strict` and QA found nothing that holds it back under it. */
function publishesAtOnce(source: Pick<SourceRow, "review" | "review_languages">, lang: string, qa: QaFlag[]): boolean {
  const policy = reviewPolicy(source, lang);
  return policy !== "required" && !blocksAutoPublish(qa, policy);
}

const AUTO_APPROVAL: PipelineStep = { action: "approve", detail: { policy: "auto" } };

async function approve(deps: TranslateDeps, id: string, payload: JobPayload<"translate">): Promise<void> {
  await move(deps, id, "in_review", [AUTO_APPROVAL]);
  await enqueuePublish(deps, id, payload);
}

async function enqueuePublish(deps: TranslateDeps, id: string, payload: JobPayload<"translate">): Promise<void> {
  await deps.queues.enqueuePublish({ translationId: id, ...(payload.requestId && { requestId: payload.requestId }) });
}

/**
 * One system move in one statement from the state just read; when the row left that state
 * meanwhile, the move is tried as an ordinary transition, which either applies (a `start` from
 * another startable state) or throws `illegal_transition` as before, for the job to retry.
 */
async function move(deps: TranslateDeps, id: string, from: TranslationRow["status"], steps: [PipelineStep]) {
  const [step] = steps;
  return (
    (await advanceTranslation(deps.db, id, from, steps)) ??
    (await transitionTranslation(deps.db, id, step.action, { actor: SYSTEM, detail: step.detail }))
  );
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
