import { readableContent } from "../extract/readable-content.ts";
import { type SanitizedBody, sanitizeBody } from "../sanitize/sanitize-html.ts";

/** The heavy steps run in a worker thread, each a plain function of structured-clonable data. */
export type IsolatedStep =
  | { step: "sanitize"; html: string; baseUrl: string | null }
  | { step: "readable"; html: string; pageUrl: string };

/** Readability's main content of a page, already sanitized: one trip to a worker, not two. */
export interface ReadablePage {
  title: string | null;
  byline: string | null;
  body: SanitizedBody;
}

export type StepResult<S extends IsolatedStep> = S extends { step: "sanitize" } ? SanitizedBody : ReadablePage | null;

export function runStep<S extends IsolatedStep>(request: S): StepResult<S>;
export function runStep(request: IsolatedStep): SanitizedBody | ReadablePage | null {
  if (request.step === "sanitize") return sanitizeBody(request.html, request.baseUrl);
  const content = readableContent(request.html, request.pageUrl);
  if (content === null) return null;
  return { title: content.title, byline: content.byline, body: sanitizeBody(content.html, request.pageUrl) };
}
