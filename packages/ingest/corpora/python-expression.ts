/**
 * A parser for the subset of Python that feedparser's `Expect:` headers are written in:
 * `not bozo and entries[0]['title'] == u'caf\xe9'`, tuples, dicts, calls, `in`, `is`.
 */
export type PyNode =
  | { type: "literal"; value: PyLiteral }
  | { type: "name"; name: string }
  | { type: "subscript"; target: PyNode; index: PyNode }
  | { type: "attribute"; target: PyNode; name: string }
  | { type: "call"; callee: PyNode; args: PyNode[] }
  | { type: "sequence"; items: PyNode[] }
  | { type: "dict"; entries: Array<[PyNode, PyNode]> }
  | { type: "not"; operand: PyNode }
  | { type: "bool"; op: "and" | "or"; left: PyNode; right: PyNode }
  | { type: "compare"; op: string; left: PyNode; right: PyNode };

export type PyLiteral = string | number | boolean | null;

type Token =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "word" | "op"; value: string };

const OPERATORS = ["==", "!=", "<=", ">=", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", "-", "+"];

export function parsePython(source: string): PyNode {
  const parser = new ExpressionParser(tokenize(source));
  const node = parser.expression();
  parser.expectEnd();
  return node;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const char = source[at] ?? "";
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    const prefixed = source.slice(at).match(/^([uUbBrR]{0,2})(['"])/);
    if (prefixed) {
      const [token, end] = readString(source, at + (prefixed[1]?.length ?? 0), /r/i.test(prefixed[1] ?? ""));
      tokens.push({ kind: "string", value: token });
      at = end;
      continue;
    }
    const number = source.slice(at).match(/^\d+(\.\d+)?(e-?\d+)?L?/i);
    if (number) {
      tokens.push({ kind: "number", value: Number.parseFloat(number[0].replace(/L$/i, "")) });
      at += number[0].length;
      continue;
    }
    const word = source.slice(at).match(/^[A-Za-z_][A-Za-z0-9_]*/);
    if (word) {
      tokens.push({ kind: "word", value: word[0] });
      at += word[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, at));
    if (op === undefined) throw new Error(`cannot read Python at ${JSON.stringify(source.slice(at, at + 20))}`);
    tokens.push({ kind: "op", value: op });
    at += op.length;
  }
  return tokens;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "0": "\0",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
};

function readString(source: string, start: number, raw: boolean): [string, number] {
  const quote = source[start] ?? "";
  const triple = source.startsWith(quote.repeat(3), start);
  const close = triple ? quote.repeat(3) : quote;
  let at = start + close.length;
  let value = "";
  while (!source.startsWith(close, at)) {
    if (at >= source.length) throw new Error("unterminated Python string");
    const char = source[at] ?? "";
    if (char !== "\\" || raw) {
      value += char;
      at++;
      continue;
    }
    const next = source[at + 1] ?? "";
    const hex = { x: 2, u: 4, U: 8 }[next];
    if (hex !== undefined) {
      value += String.fromCodePoint(Number.parseInt(source.slice(at + 2, at + 2 + hex), 16));
      at += 2 + hex;
    } else if (SIMPLE_ESCAPES[next] !== undefined) {
      value += SIMPLE_ESCAPES[next];
      at += 2;
    } else {
      value += `\\${next}`;
      at += 2;
    }
  }
  return [value, at + close.length];
}

const COMPARISONS = new Set(["==", "!=", "<", ">", "<=", ">="]);

class ExpressionParser {
  private at = 0;

  constructor(private readonly tokens: Token[]) {}

  expectEnd(): void {
    if (this.at !== this.tokens.length) throw new Error(`unexpected ${JSON.stringify(this.peek())}`);
  }

  expression(): PyNode {
    let left = this.andExpression();
    while (this.acceptWord("or")) left = { type: "bool", op: "or", left, right: this.andExpression() };
    return left;
  }

  private andExpression(): PyNode {
    let left = this.notExpression();
    while (this.acceptWord("and")) left = { type: "bool", op: "and", left, right: this.notExpression() };
    return left;
  }

  private notExpression(): PyNode {
    if (this.acceptWord("not")) return { type: "not", operand: this.notExpression() };
    return this.comparison();
  }

  private comparison(): PyNode {
    // Python chains comparisons: `a == b == c` means `a == b and b == c`.
    let left = this.sum();
    let chain: PyNode | null = null;
    for (;;) {
      const op = this.comparisonOperator();
      if (op === null) return chain ?? left;
      const right = this.sum();
      const comparison: PyNode = { type: "compare", op, left, right };
      chain = chain === null ? comparison : { type: "bool", op: "and", left: chain, right: comparison };
      left = right;
    }
  }

  /** Only literal strings are ever added in the headers, so `+` is folded here. */
  private sum(): PyNode {
    let left = this.unary();
    while (this.acceptOp("+")) {
      const right = this.unary();
      if (left.type !== "literal" || right.type !== "literal") throw new Error("+ on a non-literal");
      left = { type: "literal", value: String(left.value) + String(right.value) };
    }
    return left;
  }

  private comparisonOperator(): string | null {
    const token = this.peek();
    if (token?.kind === "op" && COMPARISONS.has(token.value)) {
      this.at++;
      return token.value;
    }
    if (this.acceptWord("in")) return "in";
    if (this.isWord(this.peek(), "not") && this.isWord(this.tokens[this.at + 1], "in")) {
      this.at += 2;
      return "not in";
    }
    if (this.acceptWord("is")) return this.acceptWord("not") ? "is not" : "is";
    return null;
  }

  private unary(): PyNode {
    if (this.acceptOp("-")) {
      const operand = this.unary();
      if (operand.type === "literal" && typeof operand.value === "number")
        return { type: "literal", value: -operand.value };
      throw new Error("unary minus on a non-number");
    }
    return this.postfix();
  }

  private postfix(): PyNode {
    let node = this.atom();
    for (;;) {
      if (this.acceptOp("[")) {
        node = { type: "subscript", target: node, index: this.expression() };
        this.requireOp("]");
      } else if (this.acceptOp(".")) {
        node = { type: "attribute", target: node, name: this.requireWord() };
      } else if (this.acceptOp("(")) {
        node = { type: "call", callee: node, args: this.listUntil(")") };
      } else {
        return node;
      }
    }
  }

  private atom(): PyNode {
    const token = this.tokens[this.at++];
    if (token === undefined) throw new Error("unexpected end of expression");
    if (token.kind === "string") {
      let value = token.value;
      // Adjacent literals concatenate, as in Python.
      while (this.peek()?.kind === "string") value += String((this.tokens[this.at++] as { value: string }).value);
      return { type: "literal", value };
    }
    if (token.kind === "number") return { type: "literal", value: token.value };
    if (token.kind === "word") {
      if (token.value === "None") return { type: "literal", value: null };
      if (token.value === "True") return { type: "literal", value: true };
      if (token.value === "False") return { type: "literal", value: false };
      return { type: "name", name: token.value };
    }
    if (token.value === "(") {
      const items = this.listUntil(")");
      // `(x)` is x; `(x,)` and `()` are tuples.
      const trailingComma = this.tokens[this.at - 2]?.value === ",";
      return items.length === 1 && !trailingComma ? (items[0] as PyNode) : { type: "sequence", items };
    }
    if (token.value === "[") return { type: "sequence", items: this.listUntil("]") };
    if (token.value === "{") return this.dict();
    throw new Error(`unexpected ${token.value}`);
  }

  private dict(): PyNode {
    const entries: Array<[PyNode, PyNode]> = [];
    while (!this.acceptOp("}")) {
      const key = this.expression();
      this.requireOp(":");
      entries.push([key, this.expression()]);
      if (!this.acceptOp(",")) {
        this.requireOp("}");
        break;
      }
    }
    return { type: "dict", entries };
  }

  private listUntil(close: string): PyNode[] {
    const items: PyNode[] = [];
    while (!this.acceptOp(close)) {
      items.push(this.expression());
      if (!this.acceptOp(",")) {
        this.requireOp(close);
        break;
      }
    }
    return items;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private isWord(token: Token | undefined, word: string): boolean {
    return token?.kind === "word" && token.value === word;
  }

  private acceptWord(word: string): boolean {
    if (!this.isWord(this.peek(), word)) return false;
    this.at++;
    return true;
  }

  private acceptOp(op: string): boolean {
    const token = this.peek();
    if (token?.kind !== "op" || token.value !== op) return false;
    this.at++;
    return true;
  }

  private requireOp(op: string): void {
    if (!this.acceptOp(op)) throw new Error(`expected ${op}, found ${JSON.stringify(this.peek())}`);
  }

  private requireWord(): string {
    const token = this.tokens[this.at++];
    if (token?.kind !== "word") throw new Error("expected a name");
    return token.value;
  }
}
