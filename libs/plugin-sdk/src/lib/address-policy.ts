import ipaddr from 'ipaddr.js';

/**
 * Which addresses an outbound fetch may connect to: public unicast only. Loopback, private,
 * link-local (cloud metadata 169.254.169.254), unique-local (fd00:ec2::254), carrier-grade NAT
 * (100.100.100.200), multicast, reserved and unspecified addresses are refused, including when
 * written as IPv4-mapped, NAT64 or 6to4 IPv6.
 */
export function isPublicAddress(address: string): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return false;
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address().toString());
    const range = v6.range();
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address: judge that one.
    if (range === 'rfc6052' || range === 'rfc6145') return isPublicAddress(new ipaddr.IPv4(v6.toByteArray().slice(12)).toString());
    if (range === '6to4') return isPublicAddress(new ipaddr.IPv4(v6.toByteArray().slice(2, 6)).toString());
    return range === 'unicast';
  }
  return (parsed as ipaddr.IPv4).range() === 'unicast';
}

/** A host name as the URL parser leaves it: IPv6 literals lose their brackets, case is folded. */
export function normalizeHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
}

export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(normalizeHost(host));
}
