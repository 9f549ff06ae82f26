import { Field, IGNORED, type Match, Node, NotApplicable, sameValue } from "./expectation-values.ts";
import type { PyNode } from "./python-expression.ts";

export type Verdict = { outcome: "true" | "false" | "ignored"; policies: Set<string>; mismatches: string[] };

/**
 * Evaluates a parsed `Expect:` header over our output. Throws NotApplicable when it reaches a
 * field we do not have. `ignored` means only feedparser-specific conjuncts (bozo) remained.
 */
export function evaluateExpectation(node: PyNode, names: Record<string, unknown>): Verdict {
  const policies = new Set<string>();
  const mismatches: string[] = [];
  const value = new Evaluator(names, policies, mismatches).evaluate(node);
  if (value === IGNORED) return { outcome: "ignored", policies, mismatches };
  return { outcome: truthy(value) ? "true" : "false", policies, mismatches };
}

class Evaluator {
  constructor(
    private readonly names: Record<string, unknown>,
    private readonly policies: Set<string>,
    private readonly mismatches: string[],
  ) {}

  evaluate(node: PyNode): unknown {
    switch (node.type) {
      case "literal":
        return node.value;
      case "name":
        return this.name(node.name);
      case "sequence":
        return node.items.map((item) => this.evaluate(item));
      case "dict":
        return Object.fromEntries(
          node.entries.map(([key, value]) => [String(this.evaluate(key)), this.evaluate(value)]),
        );
      case "subscript":
        return this.subscript(this.evaluate(node.target), this.evaluate(node.index));
      case "attribute":
        return this.attribute(this.evaluate(node.target), node.name);
      case "call":
        return this.call(node);
      case "not": {
        const operand = this.evaluate(node.operand);
        return operand === IGNORED ? IGNORED : !truthy(operand);
      }
      case "bool":
        return this.bool(node.op, node.left, node.right);
      case "compare":
        return this.compare(node.op, this.evaluate(node.left), this.evaluate(node.right));
    }
  }

  private name(name: string): unknown {
    if (name in this.names) return this.names[name];
    throw new NotApplicable(name);
  }

  private bool(op: "and" | "or", leftNode: PyNode, rightNode: PyNode): unknown {
    const left = this.evaluate(leftNode);
    if (left === IGNORED) return this.evaluate(rightNode);
    if (op === "and" && !truthy(left)) return left;
    if (op === "or" && truthy(left)) return left;
    const right = this.evaluate(rightNode);
    return right === IGNORED ? left : right;
  }

  private subscript(target: unknown, index: unknown): unknown {
    if (target === IGNORED) return IGNORED;
    if (target instanceof Node) return target.get(String(index));
    const value = target instanceof Field ? target.actual : target;
    const path = target instanceof Field ? target.path : "value";
    if (Array.isArray(value) && typeof index === "number") {
      const item = value[index < 0 ? value.length + index : index];
      if (item === undefined) throw new IndexError(`${path}[${index}] is out of range`);
      return item;
    }
    if (typeof value === "string" && typeof index === "number") return value[index];
    if (value !== null && typeof value === "object" && typeof index === "string" && index in value) {
      return (value as Record<string, unknown>)[index];
    }
    throw new IndexError(`${path}[${JSON.stringify(index)}] does not exist`);
  }

  /** feedparser's dicts allow `entries[0].title` for `entries[0]['title']`, and `.get(key)`. */
  private attribute(target: unknown, name: string): unknown {
    if (target === IGNORED) return IGNORED;
    if (target instanceof Node && (name === "get" || name === "has_key")) return { method: name, target };
    if (target instanceof Node) return target.get(name);
    throw new NotApplicable(`.${name}`);
  }

  private call(node: Extract<PyNode, { type: "call" }>): unknown {
    const args = node.args.map((arg) => this.evaluate(arg));
    const callee = node.callee.type === "name" ? node.callee.name : null;
    if (callee === "isinstance") return IGNORED;
    if (callee === "len") return lengthOf(args[0]);
    if (callee === "ord") return ordOf(args[0]);
    if (callee === "locals") throw new NotApplicable("locals()");
    const method = callee === null ? this.evaluate(node.callee) : null;
    if (isMethod(method)) {
      const key = String(args[0]);
      if (method.method === "has_key") return method.target.has(key) ? truthy(method.target.get(key)) : false;
      // A key our shape lacks: feedparser's default would say nothing about us, so no verdict.
      return method.target.get(key);
    }
    throw new NotApplicable(`${callee ?? "method"}()`);
  }

  private compare(op: string, left: unknown, right: unknown): unknown {
    if (left === IGNORED || right === IGNORED) return IGNORED;
    switch (op) {
      case "==":
      case "is":
        return this.equal(left, right);
      case "!=":
      case "is not":
        return !this.equal(left, right);
      case "in":
        return this.contains(right, left);
      case "not in":
        return !this.contains(right, left);
      default:
        return orderedCompare(op, plain(left), plain(right));
    }
  }

  private equal(left: unknown, right: unknown): boolean {
    if (left instanceof Node) return this.nodeEquals(left, plain(right));
    if (right instanceof Node) return this.nodeEquals(right, plain(left));
    if (left instanceof Field) return this.record(left, left.matches(plain(right)), right);
    if (right instanceof Field) return this.record(right, right.matches(plain(left)), left);
    return sameValue(plain(right), plain(left));
  }

  /** A dict literal against one of our nodes: keys we lack count only when feedparser expects a value. */
  private nodeEquals(node: Node, expected: unknown): boolean {
    if (expected === null || typeof expected !== "object" || Array.isArray(expected)) return false;
    return Object.entries(expected).every(([key, value]) => {
      if (!node.has(key) && value === null) return true;
      return this.equal(node.get(key), value);
    });
  }

  private contains(container: unknown, item: unknown): boolean {
    if (container instanceof Node) return container.has(String(item)) && truthy(container.get(String(item)));
    const value = plain(container);
    if (typeof value === "string") return value.includes(String(plain(item)));
    if (Array.isArray(value)) return value.some((element) => this.equal(element, item));
    throw new NotApplicable("`in` on this value");
  }

  private record(field: Field, match: Match, expected: unknown): boolean {
    if (match.equal && match.policy !== null) this.policies.add(match.policy);
    if (!match.equal)
      this.mismatches.push(
        `${field.path}: ours ${JSON.stringify(field.actual)}, expected ${JSON.stringify(plain(expected))}`,
      );
    return match.equal;
  }
}

/** An index past our list: the expectation fails rather than being not applicable. */
export class IndexError extends Error {}

function isMethod(value: unknown): value is { method: string; target: Node } {
  return typeof value === "object" && value !== null && "method" in value && "target" in value;
}

function plain(value: unknown): unknown {
  return value instanceof Field ? value.actual : value;
}

function truthy(value: unknown): boolean {
  const inner = plain(value);
  if (inner instanceof Node) return true;
  if (Array.isArray(inner)) return inner.length > 0;
  if (inner !== null && typeof inner === "object") return Object.keys(inner).length > 0;
  return Boolean(inner);
}

function lengthOf(value: unknown): number {
  const inner = plain(value);
  if (typeof inner === "string" || Array.isArray(inner)) return inner.length;
  throw new NotApplicable("len() of this value");
}

function ordOf(value: unknown): number {
  const inner = plain(value);
  if (typeof inner === "string" && [...inner].length === 1) return inner.codePointAt(0) ?? 0;
  throw new IndexError(`ord() of ${JSON.stringify(inner)}`);
}

function orderedCompare(op: string, left: unknown, right: unknown): boolean {
  if (typeof left !== typeof right || (typeof left !== "number" && typeof left !== "string")) return false;
  const a = left as number | string;
  const b = right as number | string;
  if (op === "<") return a < b;
  if (op === ">") return a > b;
  if (op === "<=") return a <= b;
  return a >= b;
}
