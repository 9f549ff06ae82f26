/**
 * Plain text a feed gives as the body (JSON Feed's `content_text`, Yandex's `yandex:full-text`)
 * as HTML paragraphs, escaped: blank lines part paragraphs. A single newline is a `<br>`, or,
 * with `linePerParagraph`, a paragraph of its own (Yandex's feeds put one paragraph a line).
 */
export function textToHtml(text: string, options: { linePerParagraph?: boolean } = {}): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const paragraphs = escaped
    .split(options.linePerParagraph ? /\n+/ : /\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== "");
  return paragraphs.map((paragraph) => `<p>${paragraph.replace(/\n/g, "<br>")}</p>`).join("");
}
