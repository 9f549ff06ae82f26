/**
 * What an LLM's answer must be to stand in for the source: a JSON object with one string per
 * segment, each keeping the source's tags in the source's order (links with their targets).
 * Anything else is refused, since a model that drops a paragraph or a link does so silently.
 */
export type OutputCheck = { ok: true; segments: string[] } | { ok: false; reason: string };

const TAG = /<\s*(\/?)\s*([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>/g;
const KEPT_ATTRIBUTE = /\b(href|src)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

/** A segment's tags as a comparable sequence: `a[href=…]`, `/a`, `b`, `/b`; other attributes may be translated. */
export function tagSequence(html: string): string[] {
  return [...html.matchAll(TAG)].map(([, closing = "", name = "", attributes = ""]) => {
    const kept = [...attributes.matchAll(KEPT_ATTRIBUTE)].map(
      ([, key = "", value = ""]) => `${key.toLowerCase()}=${value.replace(/^["']|["']$/g, "")}`,
    );
    return `${closing}${name.toLowerCase()}${kept.length > 0 ? `[${kept.join(",")}]` : ""}`;
  });
}

export function checkOutput(content: string | null | undefined, sources: readonly string[]): OutputCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content ?? "");
  } catch {
    return { ok: false, reason: "the answer is not JSON" };
  }
  const segments = (parsed as { segments?: unknown } | null)?.segments;
  if (!Array.isArray(segments) || !segments.every((segment) => typeof segment === "string")) {
    return { ok: false, reason: 'the answer has no "segments" array of strings' };
  }
  if (segments.length !== sources.length) {
    return { ok: false, reason: `${segments.length} segments came back for ${sources.length}` };
  }
  for (const [index, source] of sources.entries()) {
    const expected = tagSequence(source).join(" ");
    const actual = tagSequence(segments[index] as string).join(" ");
    if (expected !== actual) {
      return {
        ok: false,
        reason: `segment ${index + 1} changed its markup (${expected || "none"} → ${actual || "none"})`,
      };
    }
    if (source.trim() && !(segments[index] as string).trim()) {
      return { ok: false, reason: `segment ${index + 1} came back empty` };
    }
  }
  return { ok: true, segments: segments as string[] };
}
