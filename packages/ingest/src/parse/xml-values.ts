/**
 * Readers for the values xml2js produces (through rss-parser): an element is a string, an
 * object with its text in `_` and its attributes in `$`, or an array of those.
 */
export type XmlValue = unknown;

export function textOf(value: XmlValue): string | null {
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === "string") return emptyToNull(value.trim());
  if (isRecord(value) && typeof value._ === "string") return emptyToNull(value._.trim());
  return null;
}

/** Like textOf, but keeps the untrimmed string: bodies are HTML and whitespace is theirs. */
export function stringOf(value: XmlValue): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value;
  return textOf(value);
}

export function attributesOf(value: XmlValue): Record<string, string> {
  const attributes = isRecord(value) ? value.$ : undefined;
  if (!isRecord(attributes)) return {};
  const result: Record<string, string> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (typeof attribute === "string") result[name] = attribute;
  }
  return result;
}

export function listOf(value: XmlValue): XmlValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function childOf(value: XmlValue, name: string): XmlValue {
  return isRecord(value) ? value[name] : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function emptyToNull(value: string): string | null {
  return value === "" ? null : value;
}
