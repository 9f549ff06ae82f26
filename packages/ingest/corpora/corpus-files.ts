import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { CaseResult } from "./corpus-session.ts";
import type { PipelineOutcome } from "./pipeline.ts";

/** Every file under `dir` whose name passes `accept`, sorted, as absolute paths. */
export function listFiles(dir: string, accept: (name: string) => boolean): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) return listFiles(file, accept);
      return accept(name) ? [file] : [];
    });
}

/**
 * The result of a document the pipeline did not turn into articles: a refusal is a policy
 * exception only if POLICY.md lists the document; a crash or a hang is always a failure.
 */
export function unparsedResult(
  name: string,
  listedAs: string,
  outcome: Exclude<PipelineOutcome, { status: "ok" }>,
): CaseResult {
  if (outcome.status === "refused") {
    return { name, status: "policy", detail: `refused: ${outcome.code}: ${outcome.message}`, listedAs };
  }
  return { name, status: "failed", detail: `${outcome.status}: ${outcome.message}` };
}

/** The per-file limit: a document that takes longer has hung the parser. */
export const FILE_TIME_LIMIT_MS = 5_000;
