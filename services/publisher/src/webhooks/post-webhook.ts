import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { CodedError } from "@babelwire/core";
import { assertPublicLiteral, publicOnlyLookup } from "@babelwire/ingest";
import { WEBHOOK_ERRORS } from "../delivery-errors.ts";

export interface WebhookPost {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** The partner's admin allowed a private address (its own network, or a test receiver). */
  allowPrivate: boolean;
  timeoutMs: number;
}

/** A request to a partner's endpoint of any method: a WebSub hub also GETs callbacks to verify them. */
export interface ReceiverRequest extends Omit<WebhookPost, "body"> {
  method: "GET" | "POST";
  body?: string;
  /** Read at most this many bytes of the answer (a WebSub challenge echo); 0 drains it unread. */
  readLimit?: number;
}

/**
 * One POST to a partner's endpoint; resolves to the HTTP status, whatever it is. Redirects are
 * not followed (a 3xx is an answer like any other), so the address the SSRF guard checked is
 * the only one ever reached. The guard checks at connect time, on the very addresses the socket
 * uses, so a rebinding DNS server has no second answer to swap in. One deadline covers the
 * connection, the request and the response headers.
 */
export async function postWebhook(post: WebhookPost): Promise<number> {
  return (await requestReceiver({ ...post, method: "POST" })).status;
}

/** One request under the same guard and deadline; resolves to the status and the first `readLimit` bytes. */
export async function requestReceiver(request: ReceiverRequest): Promise<{ status: number; body: string }> {
  const url = parseTarget(request.url);
  const deadline = AbortSignal.timeout(request.timeoutMs);
  try {
    if (!request.allowPrivate) assertPublicLiteral(url);
    const response = await send(url, request, deadline);
    // Beyond what the caller asked to read, the receiver's body is not ours; drain it so the socket closes.
    const body = await readUpTo(response, request.readLimit ?? 0);
    return { status: response.statusCode ?? 0, body };
  } catch (error) {
    throw webhookError(error, url, request.timeoutMs, deadline.aborted);
  }
}

async function readUpTo(response: IncomingMessage, limit: number): Promise<string> {
  if (limit <= 0) {
    response.resume();
    return "";
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (size < limit) chunks.push(chunk.subarray(0, limit - size));
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new CodedError(WEBHOOK_ERRORS.BAD_URL, "The partner's webhook URL does not parse.", {
      cause: error,
      permanent: true,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CodedError(WEBHOOK_ERRORS.BAD_URL, `The partner's webhook URL is ${url.protocol}, not http(s).`, {
      permanent: true,
    });
  }
  return url;
}

function send(url: URL, post: ReceiverRequest, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: post.method,
      headers: { ...post.headers, ...(post.body !== undefined && { "content-length": Buffer.byteLength(post.body) }) },
      signal,
      // One socket per delivery: nothing lingers between a partner's deliveries or after a test.
      agent: false,
      ...(!post.allowPrivate && { lookup: publicOnlyLookup }),
    });
    outgoing.once("response", resolve);
    outgoing.once("error", reject);
    outgoing.end(post.body);
  });
}

/** A stable code for what went wrong on the way: refused address, timeout or connection failure. */
function webhookError(error: unknown, url: URL, timeoutMs: number, timedOut: boolean): CodedError {
  const where = `${url.protocol}//${url.host}`;
  if (error instanceof CodedError && error.code === "FEED_BLOCKED_ADDRESS") {
    // The ingest guard's refusal, in the webhook's words: permanent until an admin allows the host.
    return new CodedError(
      WEBHOOK_ERRORS.BLOCKED_ADDRESS,
      `${error.message.replace("fetching it", "delivering to it")} An admin can allow private webhooks for this partner.`,
      { cause: error, permanent: true },
    );
  }
  if (error instanceof CodedError) return error;
  if (timedOut) {
    return new CodedError(WEBHOOK_ERRORS.TIMEOUT, `${where} did not answer within ${timeoutMs} ms.`, { cause: error });
  }
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  return new CodedError(WEBHOOK_ERRORS.CONNECTION, `The connection to ${where} failed${code ? ` (${code})` : ""}.`, {
    cause: error,
  });
}
