import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { GlossaryTerm, SegmentFormat } from "../engine.ts";

export interface PromptInput {
  from: string;
  to: string;
  format: SegmentFormat;
  segments: string[];
  context?: string | undefined;
  glossary?: GlossaryTerm[] | undefined;
  /** Why the previous answer was refused, when this is the retry. */
  refused?: string | undefined;
}

function languageName(tag: string): string {
  try {
    return `${new Intl.DisplayNames(["en"], { type: "language" }).of(tag) ?? tag} (${tag})`;
  } catch {
    return tag;
  }
}

/**
 * The instructions: a news translator's brief, the article's headline for context, the
 * glossary as a list of fixed renderings, and the JSON shape expected back.
 */
export function buildMessages(input: PromptInput): ChatCompletionMessageParam[] {
  const rules = [
    `You translate news articles from ${languageName(input.from)} to ${languageName(input.to)} for a news agency.`,
    "Translate faithfully: keep every name, number, date and quotation; add nothing, leave nothing out.",
    input.format === "html"
      ? "Segments are HTML: keep every tag and attribute exactly as written and in the same order; translate only the text between tags."
      : "Segments are plain text.",
    "Words of the form Zxqv…q stand for protected terms: copy them unchanged.",
    `Answer with a JSON object {"segments": [...]} holding exactly ${input.segments.length} strings: the translation of each input segment, in order.`,
  ];
  if (input.glossary && input.glossary.length > 0) {
    rules.push(
      "Always render these terms as given (a term given as itself is not translated):",
      ...input.glossary.map((entry) => `- ${entry.term} → ${entry.translation}`),
    );
  }
  if (input.context) rules.push(`The article's headline, for context (do not translate it): ${input.context}`);
  const messages: ChatCompletionMessageParam[] = [
    { role: "system", content: rules.join("\n") },
    { role: "user", content: JSON.stringify({ segments: input.segments }) },
  ];
  if (input.refused) {
    messages.push({
      role: "user",
      content: `Your previous answer was refused: ${input.refused}. Answer again, following every rule.`,
    });
  }
  return messages;
}

/** Structured output: an object with a `segments` array of strings (the count is checked after). */
export const SEGMENTS_SCHEMA = {
  type: "object",
  properties: { segments: { type: "array", items: { type: "string" } } },
  required: ["segments"],
  additionalProperties: false,
} as const;
