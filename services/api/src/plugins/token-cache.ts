import { type Db, findLiveToken, hashToken, type TokenRow } from "@babelwire/db";

/** How long a looked-up token is trusted before the database is asked again. */
const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

export interface TokenCache {
  /** The live token row for a presented secret, or undefined. */
  find(token: string): Promise<TokenRow | undefined>;
  /** Forgets a token at once (this process revoked it). */
  forget(id: string): void;
}

/**
 * Token lookups for every request, feed readers polling included, would queue on the
 * database; a few seconds of memory spare it. A token revoked through this process stops at
 * once; through another process, within TTL_MS. Expiry is checked on every use.
 */
export function createTokenCache(db: Db, now: () => number = Date.now): TokenCache {
  const entries = new Map<string, { row: TokenRow | undefined; until: number }>();
  return {
    async find(token) {
      const key = hashToken(token);
      const cached = entries.get(key);
      const at = now();
      let row: TokenRow | undefined;
      if (cached && cached.until > at) {
        row = cached.row;
      } else {
        row = await findLiveToken(db, token);
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, { row, until: at + TTL_MS });
      }
      if (row?.expires_at && row.expires_at.getTime() <= at) return undefined;
      return row;
    },
    forget(id) {
      for (const [key, entry] of entries) if (entry.row?.id === id) entries.delete(key);
    },
  };
}
