import { FeedError } from "../feed-error.ts";

const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA"]);

/** Gives a stable code to what Node's sockets, DNS and zlib throw while fetching. */
export function networkError(error: unknown, where: string): FeedError {
  const code = systemCode(error);
  if (DNS_CODES.has(code)) {
    // Name the host itself: "the host of x/y" left operators guessing which part was wrong.
    const host = hostnameOf(error) ?? where.split("/")[0] ?? where;
    return new FeedError("FEED_DNS", `The host name ${host} could not be resolved (${code}); check its spelling.`, {
      cause: error,
    });
  }
  if (code.startsWith("Z_") || code.includes("BROTLI")) {
    return new FeedError("FEED_PARSE", `The compressed response from ${where} could not be decompressed.`, {
      cause: error,
    });
  }
  const reason = code === "" ? "" : ` (${code})`;
  return new FeedError("FEED_CONNECTION", `The connection to ${where} failed${reason}.`, { cause: error });
}

/** Node's DNS errors carry the name they looked up. */
function hostnameOf(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "hostname" in error && typeof error.hostname === "string") {
    return error.hostname || undefined;
  }
  return undefined;
}

function systemCode(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return "";
}
