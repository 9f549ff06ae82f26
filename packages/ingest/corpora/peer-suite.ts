import { afterAll, describe, expect, it } from "vitest";
import { findCorporaDir } from "./corpora-dir.ts";
import { FILE_TIME_LIMIT_MS } from "./corpus-files.ts";
import { type CaseResult, runCases, useCorpusSession } from "./corpus-session.ts";
import { GuardedRunner } from "./guarded-runner.ts";

export interface PeerCase {
  name: string;
  run: (runner: GuardedRunner) => Promise<CaseResult>;
}

/**
 * One corpus as one vitest test: every case runs (under the per-file time limit), is counted
 * for the final table, and the test fails listing every case that failed.
 */
export function describePeerCorpus(corpus: string, behaviour: string, cases: (root: string) => PeerCase[]): void {
  const root = findCorporaDir();
  describe.skipIf(root === null)(corpus, () => {
    const session = useCorpusSession(corpus);
    const runner = new GuardedRunner(FILE_TIME_LIMIT_MS);
    afterAll(async () => {
      await runner.close();
      if (process.env.CORPORA_VERBOSE) console.log(session.failures.join("\n"));
    });
    it(behaviour, async () => {
      const failures = await runCases(session, cases(root ?? ""), (testCase) => testCase.run(runner));
      expect(failures).toEqual([]);
    });
    it("is listed in POLICY.md only for cases that still differ", () => {
      expect(session.staleListings()).toEqual([]);
    });
  });
}
