import { readFileSync } from "node:fs";
import type { NormalizedArticle } from "@babelwire/core";
import { htmlToLine } from "@babelwire/html";
import { unparsedResult } from "./corpus-files.ts";
import type { CaseResult } from "./corpus-session.ts";
import type { Match } from "./expectation-values.ts";
import { matchText, matchUrl } from "./field-matchers.ts";
import type { GuardedRunner } from "./guarded-runner.ts";
import { FALLBACK_NOW } from "./pipeline.ts";

/** The fields a peer's expected output is compared on, when it ships one. */
export interface KeyFields {
  title?: unknown;
  items?: Array<{ title?: unknown; link?: unknown }>;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// Where these corpora's feeds pretend to come from: relative links resolve against it.
const CORPUS_ORIGIN = "https://corpora.example/";

/**
 * One feed file of a peer's suite: it must parse without a crash or a hang (or be a refusal
 * listed in POLICY.md), every item must have a title or a link, every date must be ISO 8601
 * UTC, and where the peer ships its expected output, the key fields must agree.
 */
export async function checkPeerFeed(
  runner: GuardedRunner,
  name: string,
  file: string,
  expected: KeyFields | null,
  contentType: string | null = null,
): Promise<CaseResult> {
  const bytes = readFileSync(file);
  const outcome = await runner.run({ kind: "bytes", bytes, contentType, feedUrl: new URL(name, CORPUS_ORIGIN).href });
  if (outcome.status !== "ok") return unparsedResult(name, name, outcome);
  const problems = [
    ...sanityProblems(outcome.articles, expected),
    ...(expected === null ? [] : keyFieldProblems(expected, outcome)),
  ];
  const failures = problems.filter((problem) => problem.policy === null);
  if (failures.length > 0)
    return { name, status: "failed", detail: failures.map((p) => p.text).join("; "), listedAs: name };
  const rules = [...new Set(problems.map((problem) => problem.policy).filter((rule): rule is string => rule !== null))];
  if (rules.length > 0) return { name, status: "policy", detail: rules.join(", "), rules };
  const fallbacks = outcome.articles.filter((article) => article.publishedAt === FALLBACK_NOW.toISOString()).length;
  return { name, status: "passed", detail: `${outcome.articles.length} items, ${fallbacks} without a readable date` };
}

interface Problem {
  text: string;
  /** A POLICY.md rule that makes this difference deliberate; null for a failure. */
  policy: string | null;
}

/**
 * Every item has a title or a link, except where the peer's expected output shows the item has
 * neither (gofeed's one-element fixtures); every date is ISO 8601 UTC.
 */
function sanityProblems(articles: NormalizedArticle[], expected: KeyFields | null): Problem[] {
  return articles.flatMap((article, index) => {
    const problems: Problem[] = [];
    const theirs = expected?.items?.[index];
    const shouldHaveOne = theirs === undefined || isPresent(theirs.title) || isPresent(theirs.link);
    if (shouldHaveOne && article.title === "" && article.url === null) {
      problems.push({ text: `item ${index} has neither title nor link`, policy: null });
    }
    for (const date of [article.publishedAt, article.updatedAt]) {
      if (!ISO_UTC.test(date)) problems.push({ text: `item ${index} date ${date} is not ISO 8601 UTC`, policy: null });
    }
    return problems;
  });
}

function isPresent(value: unknown): boolean {
  return typeof value === "string" && value.trim() !== "";
}

function keyFieldProblems(
  expected: KeyFields,
  outcome: { feed: { title: string }; articles: NormalizedArticle[] },
): Problem[] {
  const problems: Problem[] = [];
  if (typeof expected.title === "string") {
    problems.push(
      ...compared(
        "feed title",
        matchText(expected.title, htmlToLine(outcome.feed.title)),
        expected.title,
        outcome.feed.title,
      ),
    );
  }
  const items = expected.items ?? [];
  if (expected.items !== undefined && items.length !== outcome.articles.length) {
    problems.push({ text: `${outcome.articles.length} items, expected ${items.length}`, policy: null });
    return problems;
  }
  items.forEach((item, index) => {
    const article = outcome.articles[index] as NormalizedArticle;
    if (typeof item.title === "string") {
      problems.push(
        ...compared(`item ${index} title`, matchText(item.title, article.title), item.title, article.title),
      );
    }
    if (typeof item.link === "string" && item.link.trim() !== "") {
      const match = matchUrl(CORPUS_ORIGIN)(item.link.trim(), article.url);
      problems.push(...compared(`item ${index} link`, match, item.link, article.url));
    }
  });
  return problems;
}

function compared(what: string, match: Match, expected: unknown, ours: unknown): Problem[] {
  if (!match.equal)
    return [{ text: `${what}: ours ${JSON.stringify(ours)}, expected ${JSON.stringify(expected)}`, policy: null }];
  return match.policy === null ? [] : [{ text: what, policy: match.policy }];
}
