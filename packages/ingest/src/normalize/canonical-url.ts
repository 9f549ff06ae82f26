const TRACKING_PARAMETERS = new Set(["fbclid", "gclid", "mc_cid", "mc_eid", "yclid", "_ga"]);

/** Resolves `value` against the first base that works; only http(s) results are kept. */
export function absoluteHttpUrl(value: string | null, bases: Array<string | null>): URL | null {
  if (value === null || value.trim() === "") return null;
  for (const base of [undefined, ...bases.filter((candidate) => candidate !== null)]) {
    const url = tryUrl(value.trim(), base);
    if (url !== null) return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  }
  return null;
}

/**
 * The article's URL as Babelwire stores it: absolute, without the fragment and without the
 * campaign parameters that make one article look like many (utm_*, fbclid, gclid …).
 */
export function canonicalUrl(value: string | null, bases: Array<string | null>): string | null {
  const url = absoluteHttpUrl(value, bases);
  return url === null ? null : canonicalOf(url);
}

/** canonicalUrl of a URL already resolved; `url` is changed in place. */
export function canonicalOf(url: URL): string {
  url.hash = "";
  const tracking = [...url.searchParams.keys()].filter(isTrackingParameter);
  // Deleting re-serializes the query, so a URL without tracking keeps its exact spelling.
  for (const name of tracking) url.searchParams.delete(name);
  return url.href.replace(/\?$/, "");
}

function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith("utm_") || TRACKING_PARAMETERS.has(lower);
}

function tryUrl(value: string, base: string | undefined): URL | null {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}
