import { CodedError, errorMessage } from "@babelwire/core";
import type { ApertiumTransport } from "./apertium-transport.ts";

export interface ApyTransportOptions {
  apyUrl: string;
  timeoutMs: number;
}

/*
 * APy's /translate cuts a request into pieces before its html deformatter sees them: at a
 * `.` or space within each 4 KB (1000 characters while more than two requests share a
 * pipeline), which can fall inside a tag, and it keeps at most ten pieces, silently
 * dropping the rest of a long document. A request of at most 1000 characters is never cut,
 * so documents are packed to that size.
 */
const APY_UNCUT_CHARS = 1000;

interface ApyTranslateResponse {
  responseData?: { translatedText?: unknown };
}

interface ApyPairsResponse {
  responseData?: Array<{ sourceLanguage?: unknown; targetLanguage?: unknown }>;
}

interface ApyErrorResponse {
  explanation?: unknown;
}

export function createApyTransport(options: ApyTransportOptions): ApertiumTransport {
  const base = options.apyUrl.replace(/\/+$/, "");
  return {
    maxDocumentChars: APY_UNCUT_CHARS,
    async modes() {
      const body = (await call(options, `${base}/listPairs`)) as ApyPairsResponse;
      return (body.responseData ?? []).flatMap((pair) =>
        typeof pair.sourceLanguage === "string" && typeof pair.targetLanguage === "string"
          ? [`${pair.sourceLanguage}-${pair.targetLanguage}`]
          : [],
      );
    },
    async translateHtml(mode, html) {
      const form = new URLSearchParams({
        langpair: mode.replace("-", "|"),
        q: html,
        format: "html",
        markUnknown: "yes",
      });
      const body = (await call(options, `${base}/translate`, form)) as ApyTranslateResponse;
      const text = body.responseData?.translatedText;
      if (typeof text !== "string") {
        throw new CodedError("ENGINE_BAD_OUTPUT", "APy answered without responseData.translatedText.");
      }
      return text;
    },
  };
}

async function call(options: ApyTransportOptions, url: string, form?: URLSearchParams): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: form ? "POST" : "GET",
      ...(form && { body: form }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    if (error instanceof DOMException && error.name === "TimeoutError") {
      throw new CodedError("ENGINE_FAILED", `APy did not answer within ${options.timeoutMs} ms.`, { cause: error });
    }
    throw new CodedError("ENGINE_UNAVAILABLE", `APy at ${url} cannot be reached: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  if (!response.ok) throw statusError(response.status, text);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CodedError("ENGINE_BAD_OUTPUT", "APy answered with something other than JSON.", { cause: error });
  }
}

function statusError(status: number, text: string): CodedError {
  const explanation = parseExplanation(text);
  if (status === 400 && /pair is not installed|pair is invalid/i.test(explanation)) {
    return new CodedError("ENGINE_PAIR_UNSUPPORTED", `APy: ${explanation}`, { permanent: true });
  }
  return new CodedError("ENGINE_FAILED", `APy answered HTTP ${status}: ${explanation || text.slice(0, 200)}`);
}

function parseExplanation(text: string): string {
  try {
    const body = JSON.parse(text) as ApyErrorResponse;
    return typeof body.explanation === "string" ? body.explanation : "";
  } catch {
    return "";
  }
}
