/*
 * Apertium prefixes a word it could not handle with a mark: `*` unknown to the analyser,
 * `@` missing from the bilingual dictionary, `#` not generated in the target language.
 * A mark counts only at the start of a word (not inside `a@b.com`), and only in text, never
 * inside a tag, where a `*` or `@` in an href is the source's own. Only `*` and `@` words are
 * reported as untranslated.
 */
const MARKED_WORD = /(?<![\p{L}\p{N}\p{M}])([*#@])([\p{L}\p{N}\p{M}]+(?:['’_-][\p{L}\p{N}\p{M}]+)*)/gu;
const TAG = /(<[^>]*>)/;

export interface StrippedMarks {
  html: string;
  words: string[];
}

export function stripUnknownMarks(html: string): StrippedMarks {
  const words: string[] = [];
  const parts = html.split(TAG).map((part, index) => {
    const isTag = index % 2 === 1;
    if (isTag) return part;
    return part.replace(MARKED_WORD, (_whole, mark: string, word: string) => {
      // `#`: the engine knew the word but lacked one of its forms; it is translated, if plainly.
      if (mark !== "#") words.push(word);
      return word;
    });
  });
  return { html: parts.join(""), words };
}
