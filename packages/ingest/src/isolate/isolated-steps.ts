import { type SanitizedBody, sanitizeBody } from "@babelwire/html";
import { readableContent } from "../extract/readable-content.ts";
import { type DocumentOptions, type ReadDocument, readDocument } from "../read-document.ts";

/** The heavy steps run in a worker thread, each a plain function of structured-clonable data. */
export type IsolatedStep =
  | { step: "sanitize"; html: string; baseUrl: string | null }
  | { step: "readable"; html: string; pageUrl: string }
  | { step: "feed"; text: string; options: DocumentOptions };

/** Readability's main content of a page, already sanitized: one trip to a worker, not two. */
export interface ReadablePage {
  title: string | null;
  byline: string | null;
  body: SanitizedBody;
}

export type StepResult<S extends IsolatedStep> = S extends { step: "sanitize" }
  ? SanitizedBody
  : S extends { step: "feed" }
    ? ReadDocument
    : ReadablePage | null;

/** A step in this thread; the feed step is the one that awaits (parseFeed is async). */
export function runStep(request: IsolatedStep): Promise<ReadDocument> | SanitizedBody | ReadablePage | null {
  if (request.step === "sanitize") return sanitizeBody(request.html, request.baseUrl);
  if (request.step === "feed") return readDocument(request.text, request.options);
  return readablePage(request.html, request.pageUrl);
}

export function readablePage(html: string, pageUrl: string): ReadablePage | null {
  const content = readableContent(html, pageUrl);
  if (content === null) return null;
  return { title: content.title, byline: content.byline, body: sanitizeBody(content.html, pageUrl) };
}
