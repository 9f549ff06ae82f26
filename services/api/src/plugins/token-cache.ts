import { type Db, findLiveToken, getPartner, hashToken, type PartnerRow, type TokenRow } from "@babelwire/db";
import { ChangeCount } from "../change-count.ts";

/** How long a looked-up token (and its partner's licence) is trusted before the database is asked again. */
const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;
/** Generated tokens have 35 characters, ADMIN_TOKEN at least 16: a bit of room for longer ones. */
const MAX_KEYED_LENGTH = 128;

/** A live token and, for a partner token, its partner: undefined when the partner is gone. */
export interface TokenHolder {
  row: TokenRow;
  partner: PartnerRow | undefined;
}

export interface TokenCache {
  /** The live token row for a presented secret, or undefined. */
  find(token: string): Promise<TokenRow | undefined>;
  /** The live token with its partner, or undefined. */
  lookup(token: string): Promise<TokenHolder | undefined>;
  /**
   * What `lookup` would answer, when this process can say it from memory alone; null when the
   * database must be asked (the fast feed path then leaves the request to Fastify). `at`
   * (Date.now()) when the caller has read the clock already.
   */
  peek(token: string, at?: number): TokenHolder | undefined | null;
  /**
   * Bumped whenever an entry is stored or forgotten: while it stays, what `peek` answered
   * for a token still holds, until the time `heldUntil` gives for it.
   */
  readonly changes: ChangeCount;
  /** Until when (as Date.now()) `peek`'s answer for this token holds: its entry's age or the token's expiry. */
  heldUntil(token: string): number;
  /** Forgets a token at once (this process revoked it). */
  forget(id: string): void;
  /** Forgets every token of a partner at once (this process changed or deleted the partner). */
  forgetPartner(partnerId: string): void;
}

/**
 * Token lookups for every request, feed readers polling included, would queue on the
 * database; a few seconds of memory spare it. A token revoked through this process stops at
 * once; through another process, within TTL_MS. The same holds for a partner's licence: a
 * change made through another process reaches this one within TTL_MS. Expiry is checked on
 * every use.
 */
export function createTokenCache(db: Db, now: () => number = Date.now): TokenCache {
  type Entry = { holder: TokenHolder | undefined; until: number };
  // Keyed by the presented secret itself: hashing it (SHA-256) on every request was the
  // largest cost of serving a cached feed. The map holds only what this process was sent, as
  // its request buffers do; the database keeps hashes only. A secret longer than any we issue
  // is keyed by its hash in a map of its own, so junk cannot make the map large. Two maps
  // rather than one with a prefix on each key: the secret a feed URL was read for is the same
  // string every time, whose hash V8 keeps, where a prefixed key was a new string to hash.
  const plain = new Map<string, Entry>();
  const hashed = new Map<string, Entry>();
  const entryOf = (token: string) =>
    token.length <= MAX_KEYED_LENGTH ? plain.get(token) : hashed.get(hashToken(token));
  const changes = new ChangeCount();
  const store = (token: string, entry: Entry) => {
    changes.bump();
    if (plain.size + hashed.size >= MAX_ENTRIES) {
      plain.clear();
      hashed.clear();
    }
    if (token.length <= MAX_KEYED_LENGTH) plain.set(token, entry);
    else hashed.set(hashToken(token), entry);
  };
  const load = async (token: string): Promise<TokenHolder | undefined> => {
    const row = await findLiveToken(db, token);
    if (!row) return undefined;
    const partner = row.partner_id ? await getPartner(db, row.partner_id) : undefined;
    return { row, partner };
  };
  const forgetWhere = (match: (row: TokenRow) => boolean) => {
    changes.bump();
    for (const entries of [plain, hashed]) {
      for (const [key, entry] of entries) if (entry.holder && match(entry.holder.row)) entries.delete(key);
    }
  };
  const live = (holder: TokenHolder | undefined, at: number) =>
    holder?.row.expires_at && holder.row.expires_at.getTime() <= at ? undefined : holder;
  const lookup = async (token: string) => {
    const cached = entryOf(token);
    const at = now();
    let holder: TokenHolder | undefined;
    if (cached && cached.until > at) {
      holder = cached.holder;
    } else {
      holder = await load(token);
      store(token, { holder, until: at + TTL_MS });
    }
    return live(holder, at);
  };
  return {
    lookup,
    peek(token, at = now()) {
      const cached = entryOf(token);
      return cached && cached.until > at ? live(cached.holder, at) : null;
    },
    changes,
    heldUntil(token) {
      const cached = entryOf(token);
      const expires = cached?.holder?.row.expires_at?.getTime() ?? Number.POSITIVE_INFINITY;
      return cached ? Math.min(cached.until, expires) : 0;
    },
    async find(token) {
      return (await lookup(token))?.row;
    },
    forget(id) {
      forgetWhere((row) => row.id === id);
    },
    forgetPartner(partnerId) {
      forgetWhere((row) => row.partner_id === partnerId);
    },
  };
}
