import { describe, expect, it } from "vitest";
import { isPublicAddress } from "./public-address.ts";

const NOT_PUBLIC: Array<[string, string]> = [
  ["127.0.0.1", "IPv4 loopback"],
  ["127.255.255.254", "the far end of 127/8"],
  ["10.0.0.1", "private 10/8"],
  ["10.255.255.255", "the far end of 10/8"],
  ["172.16.0.1", "private 172.16/12"],
  ["172.31.255.255", "the far end of 172.16/12"],
  ["192.168.1.1", "private 192.168/16"],
  ["169.254.169.254", "the cloud metadata service"],
  ["169.254.0.1", "IPv4 link-local"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "this network 0/8"],
  ["100.64.0.1", "CGNAT 100.64/10"],
  ["100.127.255.255", "the far end of CGNAT"],
  ["192.0.0.8", "IETF protocol assignments 192.0.0/24"],
  ["192.0.2.10", "TEST-NET-1"],
  ["198.18.0.1", "benchmarking 198.18/15"],
  ["198.51.100.7", "TEST-NET-2"],
  ["203.0.113.9", "TEST-NET-3"],
  ["224.0.0.1", "IPv4 multicast"],
  ["239.255.255.250", "SSDP multicast"],
  ["240.0.0.1", "reserved 240/4"],
  ["255.255.255.255", "broadcast"],
  ["::1", "IPv6 loopback"],
  ["::", "IPv6 unspecified"],
  ["::ffff:127.0.0.1", "IPv4-mapped loopback, dotted"],
  ["::ffff:7f00:1", "IPv4-mapped loopback, hex"],
  ["::ffff:10.1.2.3", "IPv4-mapped private"],
  ["::ffff:169.254.169.254", "IPv4-mapped metadata service"],
  ["::127.0.0.1", "deprecated IPv4-compatible loopback"],
  ["fc00::1", "unique local fc00::/7"],
  ["fd12:3456:789a::1", "unique local fd00::/8"],
  ["fe80::1", "IPv6 link-local"],
  ["fe80::1%eth0", "IPv6 link-local with a zone id"],
  ["febf::1", "the far end of fe80::/10"],
  ["fec0::1", "deprecated site-local"],
  ["ff02::1", "IPv6 multicast"],
  ["2001:db8::1", "IPv6 documentation"],
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"],
  ["100::1", "discard-only 100::/64"],
  ["64:ff9b::7f00:1", "NAT64 of 127.0.0.1"],
  ["64:ff9b::10.0.0.1", "NAT64 of a private address, dotted"],
  ["64:ff9b:1::1", "local-use NAT64"],
  ["2002:7f00:1::1", "6to4 of 127.0.0.1"],
  ["2002:a9fe:a9fe::", "6to4 of the metadata service"],
  ["localhost", "a host name, not an address"],
  ["[::1]", "a bracketed URL host, not an address"],
  ["127.1", "a shorthand that is not a valid address"],
  ["", "nothing"],
];

const PUBLIC: Array<[string, string]> = [
  ["8.8.8.8", "a public resolver"],
  ["1.1.1.1", "another public resolver"],
  ["93.184.216.34", "a web server"],
  ["172.15.255.255", "just below 172.16/12"],
  ["172.32.0.1", "just above 172.16/12"],
  ["100.63.255.255", "just below CGNAT"],
  ["100.128.0.1", "just above CGNAT"],
  ["169.253.255.255", "just below link-local"],
  ["11.0.0.1", "just above 10/8"],
  ["223.255.255.255", "just below multicast"],
  ["2606:4700:4700::1111", "a public IPv6 resolver"],
  ["2a00:1450:4001:80b::200e", "a public IPv6 web server"],
  ["::ffff:8.8.8.8", "IPv4-mapped public address"],
  ["64:ff9b::808:808", "NAT64 of a public address"],
  ["2002:808:808::1", "6to4 of a public address"],
];

describe("isPublicAddress", () => {
  it.each(NOT_PUBLIC)("refuses %s (%s)", (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(PUBLIC)("accepts %s (%s)", (ip) => {
    expect(isPublicAddress(ip)).toBe(true);
  });
});
