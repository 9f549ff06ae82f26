/**
 * Secrets that travel inside URLs and text: feed URLs with `user:password@` or `?api_key=`,
 * tokens in query strings (also percent-encoded, as `?%74oken=`), webhook secrets and API
 * tokens quoted in error messages. Logs, errors and what editors read go through these.
 */
const SENSITIVE_NAME =
  /^(token|access_token|api[_-]?key|apikey|key|secret|client_secret|password|passwd|pass|sig|signature|auth|hub\.secret)$/i;
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s"'<>`]+/gi;
const SECRET_VALUE = /\b(whsec|bw)_[A-Za-z0-9_-]{8,}/g;

export const REDACTED = "[redacted]";

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}

/** The query string with every sensitive parameter's value masked, whatever the name's spelling. */
export function redactQuery(query: string): string {
  return query
    .split("&")
    .map((part) => {
      const at = part.indexOf("=");
      const name = at < 0 ? part : part.slice(0, at);
      return SENSITIVE_NAME.test(decodedName(name).trim()) ? `${name}=${REDACTED}` : part;
    })
    .join("&");
}

/** A URL (absolute or a request's path) without user info and with sensitive query values masked. */
export function redactUrl(url: string): string {
  const withoutUserInfo = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, `$1${REDACTED}@`);
  const queryAt = withoutUserInfo.indexOf("?");
  if (queryAt < 0) return withoutUserInfo;
  const hashAt = withoutUserInfo.indexOf("#", queryAt);
  const end = hashAt < 0 ? withoutUserInfo.length : hashAt;
  return `${withoutUserInfo.slice(0, queryAt + 1)}${redactQuery(withoutUserInfo.slice(queryAt + 1, end))}${withoutUserInfo.slice(end)}`;
}

/** Free text (an error message, a stack) with the URLs in it redacted and tokens and webhook secrets masked. */
export function redactSecrets(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redactUrl(url)).replace(SECRET_VALUE, `$1_${REDACTED}`);
}
