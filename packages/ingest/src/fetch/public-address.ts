import { BlockList, isIP } from "node:net";

/**
 * Ranges that are not the public internet: loopback, private, link-local (the cloud metadata
 * service at 169.254.169.254 among them), shared CGNAT space, "this network", documentation and
 * benchmarking nets, multicast, reserved space and broadcast. Node's BlockList also matches an
 * IPv4-mapped IPv6 address (::ffff:127.0.0.1) against the IPv4 ranges.
 */
const IPV4_RANGES: ReadonlyArray<readonly [string, number]> = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

const IPV6_RANGES: ReadonlyArray<readonly [string, number]> = [
  // Unspecified, loopback and the deprecated IPv4-compatible form (::a.b.c.d).
  ["::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  // IETF protocol assignments, Teredo included: its IPv4 part is obfuscated, so it cannot be checked.
  ["2001::", 23],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
];

const NON_PUBLIC = blockListOf(IPV4_RANGES, IPV6_RANGES);

/**
 * Whether an IP address belongs to the public internet. Anything that is not a valid address
 * is not public. NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged by the IPv4
 * address they carry, since that is where the packets end up.
 */
export function isPublicAddress(ip: string): boolean {
  // A zone id (fe80::1%eth0) makes BlockList answer "not listed", so it is dropped first.
  const address = ip.replace(/%.*$/, "");
  const family = isIP(address);
  if (family === 4) return !NON_PUBLIC.check(address, "ipv4");
  if (family !== 6 || NON_PUBLIC.check(address, "ipv6")) return false;
  const embedded = embeddedIpv4(address);
  return embedded === null || isPublicAddress(embedded);
}

function embeddedIpv4(ipv6: string): string | null {
  const words = ipv6Words(ipv6);
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((word) => word === 0)) {
    return ipv4Of(words[6] ?? 0, words[7] ?? 0);
  }
  if (words[0] === 0x2002) return ipv4Of(words[1] ?? 0, words[2] ?? 0);
  return null;
}

/** The eight 16-bit words of a valid IPv6 address, a dotted IPv4 tail included. */
function ipv6Words(ipv6: string): number[] {
  const dotted = ipv6.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  const hex = dotted ? ipv6.slice(0, dotted.index).concat(wordsOfDotted(dotted.slice(1).map(Number))) : ipv6;
  const [head = "", tail] = hex.split("::");
  const parse = (part: string): number[] =>
    part === "" ? [] : part.split(":").map((word) => Number.parseInt(word, 16));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

function wordsOfDotted([a = 0, b = 0, c = 0, d = 0]: number[]): string {
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

function ipv4Of(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

function blockListOf(
  ipv4: ReadonlyArray<readonly [string, number]>,
  ipv6: ReadonlyArray<readonly [string, number]>,
): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ipv4) list.addSubnet(network, prefix, "ipv4");
  for (const [network, prefix] of ipv6) list.addSubnet(network, prefix, "ipv6");
  return list;
}
