/**
 * The codes a delivery to a partner fails with, one catalog for the publisher's two families.
 * Operators read them, unchanged, in a delivery's `lastError` and a WebSub subscription's end
 * reason (docs/contract.md, "Errors"): the values never change.
 */

/** A webhook, or a WebSub callback, that cannot be reached or must not receive the item. */
export const WEBHOOK_ERRORS = {
  BAD_URL: "WEBHOOK_BAD_URL",
  BLOCKED_ADDRESS: "WEBHOOK_BLOCKED_ADDRESS",
  TIMEOUT: "WEBHOOK_TIMEOUT",
  CONNECTION: "WEBHOOK_CONNECTION",
  NO_URL: "WEBHOOK_NO_URL",
  NO_ITEM: "WEBHOOK_NO_ITEM",
  NOT_ENTITLED: "WEBHOOK_NOT_ENTITLED",
} as const;

/** A receiver's answer other than 2xx: a family (`WEBHOOK_HTTP_503`) rather than a list. */
export function webhookHttpCode(status: number): `WEBHOOK_HTTP_${number}` {
  return `WEBHOOK_HTTP_${status}`;
}

/** Why the hub refuses a subscription or ends it; stored as `CODE: sentence`. */
export const WEBSUB_ERRORS = {
  TOKEN_REVOKED: "WEBSUB_TOKEN_REVOKED",
  NOT_CONFIRMED: "WEBSUB_NOT_CONFIRMED",
  GONE: "WEBSUB_GONE",
  NOT_ACTIVE: "WEBSUB_NOT_ACTIVE",
  LEASE_EXPIRED: "WEBSUB_LEASE_EXPIRED",
  NOT_ENTITLED: "WEBSUB_NOT_ENTITLED",
} as const;
