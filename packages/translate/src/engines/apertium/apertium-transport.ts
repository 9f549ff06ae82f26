/** How the Apertium engine reaches Apertium: the local command or an APy server. */
export interface ApertiumTransport {
  /** Mode names it can run, as Apertium spells them (`eng-spa`, `eng-cat_valencia`). */
  modes(): Promise<string[]>;
  /** One html document through one mode; the output keeps Apertium's unknown-word marks. */
  translateHtml(mode: string, html: string): Promise<string>;
  /** The longest document one call may carry; longer articles are sent in several. */
  readonly maxDocumentChars: number;
}
