import { primaryLanguage } from "@babelwire/core";
import type { LanguagePair } from "./engine.ts";
import { ANY_LANGUAGE, PIVOT_LANGUAGE, routeFor } from "./language-pairs.ts";

/**
 * The targets no engine of the chain can reach from `from`, straight or through English. With
 * `from` null (a source whose language is detected per item) a target counts as reachable
 * when some engine translates into it from some language.
 */
export function unreachableTargets(
  chain: readonly (readonly LanguagePair[])[],
  from: string | null,
  targets: readonly string[],
): string[] {
  return targets.filter((to) => !chain.some((pairs) => reaches(pairs, from, to)));
}

function reaches(pairs: readonly LanguagePair[], from: string | null, to: string): boolean {
  if (from !== null) return primaryLanguage(from) === primaryLanguage(to) || routeFor(pairs, from, to) !== undefined;
  return pairs.some(
    (pair) => routeFor(pairs, pair.from === ANY_LANGUAGE ? PIVOT_LANGUAGE : pair.from, to) !== undefined,
  );
}

/** The chain's pairs as an operator reads them: `en→es, en→ca, …`, each once, at most `max` of them. */
export function describePairs(chain: readonly (readonly LanguagePair[])[], max = 40): string {
  const names = [...new Set(chain.flat().map((pair) => `${pair.from}→${pair.to}`))].sort();
  if (names.length === 0) return "none";
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
