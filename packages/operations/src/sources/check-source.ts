import type { Config } from "@babelwire/config";
import type { NewSource, SourcePatch, SourceRow } from "@babelwire/db";
import { FeedError, findFeed } from "@babelwire/ingest";
import { createEngines, describePairs, type LanguagePair, unreachableTargets } from "@babelwire/translate";
import { OperationError } from "../operation-error.ts";

/** The language pairs of each engine of the chain that answered; null when none did. */
export type EnginePairs = () => Promise<LanguagePair[][] | null>;

/** How long a would-be source gets to answer: less than the poller's 20 s, since a person waits. */
const CHECK_TIMEOUT_MS = 15_000;

/**
 * The chain's pairs, asked once per process (Apertium lists its installed modes, the HTTP
 * engines their languages endpoints). An engine that does not answer is left out; when none
 * answers the check is skipped, and the translator reports per item as before.
 */
export function enginePairsOf(config: Config): EnginePairs {
  let known: LanguagePair[][] | undefined;
  return async () => {
    if (known) return known;
    const lists = await Promise.all(createEngines(config).map((engine) => engine.languages().catch(() => null)));
    const answered = lists.filter((pairs): pairs is LanguagePair[] => pairs !== null);
    if (answered.length === 0) return null;
    known = answered;
    return known;
  };
}

export interface SourceCheckOptions {
  /** Read the feed first (`--no-check` / `?check=false` skip it). */
  check: boolean;
  pairs: EnginePairs;
}

/**
 * A new source as it will be polled: its feed read once (a web page replaced by the feed it
 * leads to, a missing name taken from the feed's title), and its targets reachable by the
 * engine chain. A feed that cannot be read is refused with its FEED_* code; an unreachable target
 * with `unsupported_target`.
 */
export async function checkNewSource(input: NewSource, options: SourceCheckOptions): Promise<NewSource> {
  let source = input;
  if (options.check) {
    const feed = await findFeed(input.url, { timeoutMs: CHECK_TIMEOUT_MS }).catch((error: unknown) => {
      if (error instanceof FeedError) throw new OperationError(error.code, error.message, "url", { cause: error });
      throw error;
    });
    source = { ...input, url: feed.url, name: input.name ?? (feed.title || undefined) };
  }
  // An "auto" source's language is found per item (often from a few words): any language that
  // reaches the targets will do, rather than refusing a source on one short item's guess.
  const from = source.language && source.language !== "auto" ? source.language : null;
  await assertReachable(options.pairs, from, source.targets);
  return source;
}

/** `unsupported_target` naming the targets no engine reaches and the pairs there are. */
export async function assertReachable(pairs: EnginePairs, from: string | null, targets: readonly string[]) {
  const chain = await pairs();
  if (!chain) return;
  const missing = unreachableTargets(chain, from, targets);
  if (missing.length === 0) return;
  const route = from ? `from ${from} into ${missing.join(", ")}` : `into ${missing.join(", ")}`;
  throw new OperationError(
    "unsupported_target",
    `No engine of TRANSLATION_ENGINES translates ${route}. The pairs available: ${describePairs(chain)}.`,
    "targets",
  );
}

/** A change's language and targets checked as they will be: what the patch leaves out stays the source's own. */
export async function assertPatchReachable(
  pairs: EnginePairs,
  current: Pick<SourceRow, "language" | "targets">,
  patch: SourcePatch,
): Promise<void> {
  if (!patch.targets && !patch.language) return;
  const language = patch.language ?? current.language;
  await assertReachable(pairs, language === "auto" ? null : language, patch.targets ?? current.targets);
}
