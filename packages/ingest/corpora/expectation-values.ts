/**
 * Values an `Expect:` header is evaluated over. Our side of the comparison is a Field, which
 * knows how its value may legitimately differ from feedparser's (a title as plain text, a
 * narrower sanitizer allowlist …) and names the POLICY.md rule that allows each difference.
 */
export type Match = { equal: true; policy: string | null } | { equal: false };

export class Field {
  constructor(
    readonly path: string,
    readonly actual: unknown,
    private readonly matcher: (expected: unknown, actual: unknown) => Match = exactMatch,
  ) {}

  matches(expected: unknown): Match {
    return this.matcher(expected, this.actual);
  }
}

/** A dict-like node of our feed or entry; `get` throws NotApplicable for keys we do not have. */
export class Node {
  constructor(
    readonly path: string,
    private readonly fields: Record<string, () => unknown>,
  ) {}

  get(key: string): unknown {
    const field = this.fields[key];
    if (field === undefined) throw new NotApplicable(`${this.path}['${key}']`);
    return field();
  }

  has(key: string): boolean {
    return this.fields[key] !== undefined;
  }
}

/** The expectation is about a field our normalized shape does not have. */
export class NotApplicable extends Error {
  constructor(readonly field: string) {
    super(`no counterpart for ${field}`);
  }
}

/** feedparser's bozo flag (and its exception): we have no such flag, so conjuncts about it drop out. */
export const IGNORED = Symbol("ignored");

export function exactMatch(expected: unknown, actual: unknown): Match {
  return sameValue(expected, actual) ? { equal: true, policy: null } : { equal: false };
}

export function sameValue(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return expected.length === actual.length && expected.every((value, index) => sameValue(value, actual[index]));
  }
  return expected === actual || (expected === null && actual === undefined);
}
