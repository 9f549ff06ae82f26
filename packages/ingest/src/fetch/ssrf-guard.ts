import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { lookup as lookupAll } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { FeedError } from "../feed-error.ts";
import { networkError } from "./network-error.ts";
import { isPublicAddress } from "./public-address.ts";

/** Resolves a host name (or takes an IP literal) and refuses it if any of its addresses is not public. */
export async function assertPublicAddress(hostname: string): Promise<void> {
  const host = bareHost(hostname);
  let addresses: LookupAddress[];
  try {
    addresses = await lookupAll(host, { all: true });
  } catch (error) {
    throw networkError(error, host);
  }
  const refusal = blockedAddressError(host, addresses);
  if (refusal) throw refusal;
}

/**
 * Refuses a URL whose host is a non-public IP literal. Node connects to an IP literal without
 * calling the `lookup` option at all, so `publicOnlyLookup` alone would let one through.
 * The WHATWG URL parser has already turned 0x7f000001, 2130706433 and 127.1 into 127.0.0.1.
 */
export function assertPublicLiteral(url: URL): void {
  const host = bareHost(url.hostname);
  const family = isIP(host);
  const refusal = family === 0 ? null : blockedAddressError(host, [{ address: host, family }]);
  if (refusal) throw refusal;
}

/**
 * A `lookup` for http.request that resolves, refuses the host if any address is not public,
 * and hands the socket the very addresses it checked. Checking here, at connect time, rather
 * than in a look-up beforehand, leaves a rebinding DNS server no second answer to swap in.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    const refusal = blockedAddressError(hostname, addresses);
    if (refusal) return callback(refusal, "");
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    if (first === undefined) return callback(networkError(new Error("no address"), hostname), "");
    callback(null, first.address, first.family);
  });
};

function blockedAddressError(host: string, addresses: LookupAddress[]): FeedError | null {
  const blocked = addresses.find(({ address }) => !isPublicAddress(address));
  if (blocked === undefined) return null;
  return new FeedError(
    "FEED_BLOCKED_ADDRESS",
    `The host ${host} resolves to ${blocked.address}, which is not a public address; fetching it is not allowed.`,
    { permanent: true },
  );
}

/** `[::1]`, as URL.hostname writes an IPv6 literal, is `::1` to DNS and to isIP. */
function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}
