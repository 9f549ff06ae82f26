import { type EngineError, engineError, fetchFailure, parseRetryAfter, statusCode } from "./engine-errors.ts";

export interface JsonRequest {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  timeoutMs: number;
}

/** An engine's refinement of a failed answer (Google's quota reasons, …); undefined keeps the usual meaning. */
export type StatusRefiner = (status: number, body: unknown) => EngineError | undefined;

/**
 * One JSON call to an engine's HTTP API with the error codes the request gate acts on: the
 * status mapped to a code, `Retry-After` kept, a body that is not JSON reported as bad output.
 */
export async function requestJson(
  engine: string,
  url: string,
  request: JsonRequest,
  refine?: StatusRefiner,
): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: {
        accept: "application/json",
        ...(request.json !== undefined && { "content-type": "application/json" }),
        ...request.headers,
      },
      ...(request.json !== undefined && { body: JSON.stringify(request.json) }),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw fetchFailure(engine, redact(url), request.timeoutMs, error);
  }
  const body = parseJson(text);
  if (!response.ok) {
    const refined = refine?.(response.status, body);
    if (refined) throw refined;
    throw engineError(
      statusCode(response.status),
      `${engine} answered HTTP ${response.status}: ${explain(body, text)}`,
      {
        retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
      },
    );
  }
  if (body === undefined) {
    throw engineError("ENGINE_BAD_OUTPUT", `${engine} answered with something other than JSON: ${text.slice(0, 120)}`);
  }
  return body;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The human part of an error body: `{"error": "…"}`, `{"error": {"message": "…"}}` or the raw text. */
export function explain(body: unknown, text = ""): string {
  if (body && typeof body === "object" && "error" in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === "string") return error;
    if (error && typeof error === "object" && "message" in error)
      return String((error as { message: unknown }).message);
  }
  return text.slice(0, 200);
}

/** API keys travel in some engines' query strings; they never go into a message. */
function redact(url: string): string {
  return url.replace(/([?&]key=)[^&]*/g, "$1…");
}
