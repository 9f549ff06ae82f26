import { appendFileSync } from "node:fs";
import { afterAll, inject } from "vitest";
import { POLICY_FILE, type Policy, readPolicy } from "./policy.ts";
import { type CaseStatus, emptyCounts, writeCounts } from "./tally.ts";

export interface CaseResult {
  name: string;
  status: CaseStatus;
  /** Why: the failing comparison, the policy rules used, or the missing field. */
  detail: string;
  /** The POLICY.md rules the case relies on, when status is "policy". */
  rules?: string[];
  /**
   * The name POLICY.md may list the case under: a refused document counts only when listed, and
   * a failed expectation that is listed counts as a deliberate (or known) difference.
   */
  listedAs?: string;
}

/**
 * Counts one corpus's cases and writes them for the final table. A "policy" result stands only
 * when every rule it names is in POLICY.md (and, for a refusal, the document is listed there);
 * otherwise it is recorded as a failure.
 */
export class CorpusSession {
  readonly counts = emptyCounts();
  readonly notApplicable = new Map<string, number>();
  readonly failures: string[] = [];
  private readonly excused = new Set<string>();
  private readonly policy: Policy = readPolicy(POLICY_FILE);

  constructor(readonly corpus: string) {}

  record(result: CaseResult): CaseResult {
    const checked = result.status === "policy" ? this.checkPolicy(result) : this.excuse(result);
    this.counts[checked.status]++;
    // CORPORA_CASES=<file>: every case's outcome, one line each, to compare two runs with diff.
    const casesFile = process.env.CORPORA_CASES;
    if (casesFile) appendFileSync(casesFile, `${checked.name}\t${checked.status}\t${checked.detail}\n`);
    if (checked.status === "failed") this.failures.push(`${checked.name}: ${checked.detail}`);
    if (checked.status === "not-applicable") {
      this.notApplicable.set(checked.detail, (this.notApplicable.get(checked.detail) ?? 0) + 1);
    }
    return checked;
  }

  /** Documents POLICY.md lists for this corpus that no longer needed it: the list must be kept true. */
  staleListings(): string[] {
    return [...this.policy.listedFiles.keys()].filter(
      (name) => (name.startsWith(`${this.corpus}/`) || name.startsWith(`${this.corpus}#`)) && !this.excused.has(name),
    );
  }

  save(): void {
    writeCounts(inject("countsDir"), this.corpus, this.counts);
  }

  private excuse(result: CaseResult): CaseResult {
    const rule = result.listedAs === undefined ? undefined : this.policy.listedFiles.get(result.listedAs);
    if (result.status !== "failed" || rule === undefined || result.listedAs === undefined) return result;
    this.excused.add(result.listedAs);
    return { ...result, status: "policy", detail: `${rule}: ${result.detail}`, rules: [rule] };
  }

  private checkPolicy(result: CaseResult): CaseResult {
    const missing = (result.rules ?? []).filter((rule) => !this.policy.rules.has(rule));
    if (missing.length > 0)
      return { ...result, status: "failed", detail: `${result.detail}; rules not in POLICY.md: ${missing.join(", ")}` };
    if (result.listedAs !== undefined) {
      const rule = this.policy.listedFiles.get(result.listedAs);
      if (rule === undefined)
        return { ...result, status: "failed", detail: `${result.detail}; not listed in POLICY.md` };
      this.excused.add(result.listedAs);
    }
    return result;
  }
}

/** One session per corpus row, saved when the file's tests are done. */
export function useCorpusSession(corpus: string): CorpusSession {
  const session = new CorpusSession(corpus);
  afterAll(() => session.save());
  return session;
}

/** Runs cases, records each and returns the failures as lines for one assertion. */
export async function runCases<T>(
  session: CorpusSession,
  cases: T[],
  check: (testCase: T) => Promise<CaseResult> | CaseResult,
): Promise<string[]> {
  const failures: string[] = [];
  for (const testCase of cases) {
    const result = session.record(await check(testCase));
    if (result.status === "failed") failures.push(`${result.name}: ${result.detail}`);
  }
  return failures;
}
