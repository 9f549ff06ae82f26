import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findCorporaDir } from "./corpora-dir.ts";
import { FILE_TIME_LIMIT_MS, listFiles, unparsedResult } from "./corpus-files.ts";
import { type CaseResult, runCases, useCorpusSession } from "./corpus-session.ts";
import { evaluateExpectation, IndexError } from "./evaluate-expectation.ts";
import { NotApplicable } from "./expectation-values.ts";
import { feedparserNames } from "./feedparser-view.ts";
import { GuardedRunner } from "./guarded-runner.ts";
import { parsePython } from "./python-expression.ts";

const corpora = findCorporaDir();
// feedparser's harness serves each test file from this address; base and link tests expect it.
const HARNESS_URL = "http://127.0.0.1:8097/";
const GROUPS = ["wellformed", "illformed", "encoding", "entities", "json"];

interface Header {
  expect: string | null;
  contentType: string | null;
  contentLocation: string | null;
}

/** The comment at the top of each test file: `Expect:` and the HTTP `Header:` lines it is served with. */
function readHeader(bytes: Buffer): Header {
  const text = isUtf8(bytes) ? bytes.toString("utf8") : bytes.toString("latin1");
  const comment = text.match(/<!--([\s\S]*?)-->/)?.[1] ?? "";
  const header = (name: string) =>
    comment.match(new RegExp(`^Header:\\s*${name}:[ \\t]*(.*)$`, "im"))?.[1]?.trim() || null;
  return {
    expect: comment.match(/^Expect:(.*)$/m)?.[1]?.trim() ?? null,
    contentType: header("Content-type"),
    contentLocation: header("Content-Location"),
  };
}

function feedUrlFor(relative: string, contentLocation: string | null): string {
  const served = new URL(`tests/${relative}`, HARNESS_URL).href;
  if (contentLocation === null) return served;
  try {
    return new URL(contentLocation, served).href;
  } catch {
    return served;
  }
}

async function checkFile(runner: GuardedRunner, root: string, file: string): Promise<CaseResult> {
  const relative = path.relative(path.join(root, "tests"), file);
  const name = `feedparser/tests/${relative}`;
  const bytes = readFileSync(file);
  const header = readHeader(bytes);
  const feedUrl = feedUrlFor(relative, header.contentLocation);
  const outcome = await runner.run({ kind: "bytes", bytes, contentType: header.contentType, feedUrl });
  if (outcome.status !== "ok") return unparsedResult(name, name, outcome);
  if (header.expect === null) return { name, status: "passed", detail: "no expectation: parsed without error" };
  const names = feedparserNames({ bytes, contentType: header.contentType, feedUrl, ...outcome });
  try {
    const verdict = evaluateExpectation(parsePython(header.expect), names);
    if (verdict.outcome === "ignored")
      return { name, status: "not-applicable", detail: "bozo (feedparser's well-formedness flag)" };
    if (verdict.outcome === "false")
      return {
        name,
        status: "failed",
        detail: verdict.mismatches.join("; ") || `${header.expect} is false`,
        listedAs: name,
      };
    if (verdict.policies.size === 0) return { name, status: "passed", detail: header.expect };
    const rules = [...verdict.policies];
    return { name, status: "policy", detail: rules.join(", "), rules };
  } catch (error) {
    if (error instanceof NotApplicable)
      return { name, status: "not-applicable", detail: error.field.replace(/\[\d+\]/g, "[N]") };
    if (error instanceof IndexError)
      return { name, status: "failed", detail: `${header.expect} — ${error.message}`, listedAs: name };
    throw error;
  }
}

describe.skipIf(corpora === null)("feedparser's tests with their Expect: headers", () => {
  const root = path.join(corpora ?? "", "feedparser");
  const session = useCorpusSession("feedparser");
  const runner = new GuardedRunner(FILE_TIME_LIMIT_MS);
  afterAll(async () => {
    await runner.close();
    if (process.env.CORPORA_VERBOSE) {
      console.log(
        "feedparser not applicable:",
        [...session.notApplicable].sort((a, b) => b[1] - a[1]),
      );
      console.log(session.failures.join("\n"));
    }
  });

  for (const group of GROUPS) {
    it(`meets every ${group} expectation that has a counterpart in our shape, or POLICY.md says why not`, async () => {
      const files = listFiles(path.join(root, "tests", group), (name) => /\.(xml|json)$/.test(name));
      const failures = await runCases(session, files, (file) => checkFile(runner, root, file));
      expect(failures).toEqual([]);
    });
  }

  it("is listed in POLICY.md only for cases that still differ", () => {
    expect(session.staleListings()).toEqual([]);
  });
});
