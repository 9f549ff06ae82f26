// The characters windows-1252 puts at 0x80–0x9F, where ISO-8859-1 and Unicode have C1 controls.
// The five positions windows-1252 leaves undefined map to themselves, as in HTML's table.
const WINDOWS_1252_C1 =
  "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F" +
  "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

const C1_CONTROLS = /[\u0080-\u009F]/g;
const C1_CONTROL = /[\u0080-\u009F]/;

/**
 * The windows-1252 character a C1 control code stands for (0x92 → U+2019 ’). No feed means a
 * C1 control: one in text is a curly quote or dash from a Windows tool, written as Latin-1 bytes
 * re-encoded as UTF-8 or as a character reference (`&#146;`), which HTML reads the same way.
 */
export function windows1252ForC1(code: number): number {
  return code >= 0x80 && code <= 0x9f ? (WINDOWS_1252_C1.charCodeAt(code - 0x80) as number) : code;
}

/** Text with every C1 control replaced by its windows-1252 character ("demoronizing"). */
export function replaceC1Controls(text: string): string {
  if (!C1_CONTROL.test(text)) return text;
  return text.replace(C1_CONTROLS, (control) => String.fromCharCode(windows1252ForC1(control.charCodeAt(0))));
}
