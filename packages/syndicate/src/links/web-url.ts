/** Characters RFC 3986 allows in a URI; WHATWG's serializer leaves a few others (`|`, `^`, `` ` ``…) raw. */
const NOT_IN_URI = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/g;

/**
 * An http(s) URL as a feed may link it: parsed, serialized, and percent-encoded where RFC 3986
 * would refuse it. Anything else (javascript:, data:, garbage) is null: a hostile "link" must
 * not become clickable on a partner's site.
 */
export function webUrl(url: string | null): string | null {
  if (url === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
  return parsed.href.replace(NOT_IN_URI, (char) => encodeURIComponent(char));
}
