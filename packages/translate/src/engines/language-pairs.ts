import { primaryLanguage } from "@babelwire/core";
import type { LanguagePair } from "./engine.ts";

/** A pair side an engine offers for every language (a general model such as an LLM). */
export const ANY_LANGUAGE = "*";

/** The language a pivot goes through: every engine that offers many pairs has it on both sides. */
export const PIVOT_LANGUAGE = "en";

export type Route = "direct" | "pivot";

/**
 * Whether a language an engine offers serves a requested tag: the same tag, the tag's primary
 * language (an engine offering `pt` serves `pt-BR`), or any language.
 */
function serves(offered: string, requested: string): boolean {
  const tag = offered.toLowerCase();
  return tag === ANY_LANGUAGE || tag === requested.toLowerCase() || tag === primaryLanguage(requested);
}

export function offersPair(pairs: readonly LanguagePair[], from: string, to: string): boolean {
  return pairs.some((pair) => serves(pair.from, from) && serves(pair.to, to));
}

/**
 * How an engine can take a request: straight, or through English when it has both halves
 * (`ru→en` and `en→es` for `ru→es`); undefined when it cannot.
 */
export function routeFor(pairs: readonly LanguagePair[], from: string, to: string): Route | undefined {
  if (offersPair(pairs, from, to)) return "direct";
  const viaEnglish = primaryLanguage(from) !== PIVOT_LANGUAGE && primaryLanguage(to) !== PIVOT_LANGUAGE;
  if (viaEnglish && offersPair(pairs, from, PIVOT_LANGUAGE) && offersPair(pairs, PIVOT_LANGUAGE, to)) return "pivot";
  return undefined;
}
