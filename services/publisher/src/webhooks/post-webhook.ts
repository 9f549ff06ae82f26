import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { CodedError } from "@babelwire/core";
import { assertPublicLiteral, publicOnlyLookup } from "@babelwire/ingest";

export interface WebhookPost {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** The partner's admin allowed a private address (its own network, or a test receiver). */
  allowPrivate: boolean;
  timeoutMs: number;
}

/**
 * One POST to a partner's endpoint; resolves to the HTTP status, whatever it is. Redirects are
 * not followed (a 3xx is an answer like any other), so the address the SSRF guard checked is
 * the only one ever reached. The guard checks at connect time, on the very addresses the socket
 * uses, so a rebinding DNS server has no second answer to swap in. One deadline covers the
 * connection, the request and the response headers.
 */
export async function postWebhook(post: WebhookPost): Promise<number> {
  const url = parseTarget(post.url);
  const deadline = AbortSignal.timeout(post.timeoutMs);
  try {
    if (!post.allowPrivate) assertPublicLiteral(url);
    const response = await send(url, post, deadline);
    // Whatever the receiver says in its body is not ours to read; drain it so the socket closes.
    response.resume();
    return response.statusCode ?? 0;
  } catch (error) {
    throw webhookError(error, url, post.timeoutMs, deadline.aborted);
  }
}

function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new CodedError("WEBHOOK_BAD_URL", "The partner's webhook URL does not parse.", {
      cause: error,
      permanent: true,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CodedError("WEBHOOK_BAD_URL", `The partner's webhook URL is ${url.protocol}, not http(s).`, {
      permanent: true,
    });
  }
  return url;
}

function send(url: URL, post: WebhookPost, signal: AbortSignal): Promise<IncomingMessage> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: "POST",
      headers: { ...post.headers, "content-length": Buffer.byteLength(post.body) },
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
      "WEBHOOK_BLOCKED_ADDRESS",
      `${error.message.replace("fetching it", "delivering to it")} An admin can allow private webhooks for this partner.`,
      { cause: error, permanent: true },
    );
  }
  if (error instanceof CodedError) return error;
  if (timedOut) {
    return new CodedError("WEBHOOK_TIMEOUT", `${where} did not answer within ${timeoutMs} ms.`, { cause: error });
  }
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  return new CodedError("WEBHOOK_CONNECTION", `The connection to ${where} failed${code ? ` (${code})` : ""}.`, {
    cause: error,
  });
}
