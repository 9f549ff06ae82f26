import { isEntitled } from "@babelwire/db";
import { ApiError } from "../plugins/errors.ts";

/**
 * What a partner token may read: published items in these languages (a tag also covers its
 * regional variants: `es` licenses `es-MX`), from these sources (null: every source).
 */
export interface Licence {
  languages: readonly string[];
  sources: readonly string[] | null;
}

/** A partner token that belongs to no partner licenses nothing: it reads no language. */
export const NOTHING: Licence = { languages: [], sources: [] };

/** Nobody to restrict: admins and editors read everything, so their licence is null. */
type MaybeLicence = Licence | null | undefined;

function notEntitled(detail: string, field: string): ApiError {
  return new ApiError(403, "not_entitled", detail, field);
}

function coversLanguage(licence: Licence, lang: string): boolean {
  return isEntitled({ languages: [...licence.languages], sources: null }, { lang });
}

/**
 * The sources a read in `lang` must be narrowed to: undefined when nothing narrows it beyond
 * the read's own `source` filter, else the licensed ones. 403 `not_entitled` for a language
 * outside the licence, or a `source` filter naming a source outside it (the filter would
 * otherwise quietly return nothing). A licensed `source` filter is narrower than the licence,
 * so such a read is the same for every reader and shares their cache entry.
 */
export function readScope(licence: MaybeLicence, lang: string, source?: string): readonly string[] | undefined {
  if (!licence) return undefined;
  if (!coversLanguage(licence, lang)) throw notEntitled(`your licence does not include the language ${lang}`, "lang");
  if (licence.sources === null) return undefined;
  if (source === undefined) return licence.sources;
  if (!licence.sources.includes(source))
    throw notEntitled(`your licence does not include the source ${source}`, "source");
  return undefined;
}

/** 403 `not_entitled` unless the licence covers an item of this source in this language. */
export function assertEntitledTo(licence: MaybeLicence, item: { lang: string; sourceId: string }): void {
  readScope(licence, item.lang);
  if (licence?.sources && !licence.sources.includes(item.sourceId)) {
    throw notEntitled("your licence does not include this item's source", "id");
  }
}
