import ipaddr from 'ipaddr.js';

/**
 * Which addresses an outbound fetch may connect to: public unicast only. Loopback, private,
 * link-local (cloud metadata 169.254.169.254), unique-local (fd00:ec2::254), carrier-grade NAT
 * (100.100.100.200), multicast, reserved and unspecified addresses are refused, including when
 * written as IPv4-compatible (`::a9fe:a9fe`, deprecated: always refused), IPv4-mapped, NAT64,
 * 6to4 or ISATAP IPv6 that embed such an IPv4 address. Teredo is refused outright.
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
    const bytes = v6.toByteArray();
    const v4At = (offset: number) => new ipaddr.IPv4(bytes.slice(offset, offset + 4)).toString();
    if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address().toString());
    // ::/96 (IPv4-compatible, deprecated by RFC 4291; also :: and ::1): some stacks route it to the
    // embedded IPv4 address (::7f00:1 → 127.0.0.1), so none of it is reachable through the client.
    if (bytes.slice(0, 12).every((b) => b === 0)) return false;
    const range = v6.range();
    // NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and SIIT (::ffff:0:0:0/96) embed an IPv4 address in the
    // last 32 bits, 6to4 (2002::/16) in bits 16–47: judge that one.
    if (range === 'rfc6052' || range === 'rfc6145') return isPublicAddress(v4At(12));
    if (range === '6to4') return isPublicAddress(v4At(2));
    // ISATAP interface ids (…:0:5efe:a.b.c.d, …:200:5efe:a.b.c.d) embed one too, under any prefix.
    if ((bytes[8] === 0 || bytes[8] === 2) && bytes[9] === 0 && bytes[10] === 0x5e && bytes[11] === 0xfe && !isPublicAddress(v4At(12)))
      return false;
    return range === 'unicast';
  }
  return (parsed as ipaddr.IPv4).range() === 'unicast';
}

/** A host name as the URL parser leaves it: IPv6 literals lose their brackets, case is folded. */
export function normalizeHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
}

export function isIpLiteral(host: string): boolean {
  return ipaddr.isValid(normalizeHost(host));
}

/**
 * One FEED_ALLOWED_HOSTS entry: a host that may be reached on a private address. `host` alone opens
 * its default ports only (80 and 443), `host:port` that one port, `host:*` every port (test servers on
 * random ports). IPv6 literals take brackets when they carry a port (`[fd00::1]:8443`).
 */
export interface AllowedHost {
  host: string;
  /** null: the default ports 80 and 443. */
  port: number | '*' | null;
}

const DEFAULT_PORTS = [80, 443];

/** Parses a FEED_ALLOWED_HOSTS entry; throws naming the entry when it is not `host`, `host:port` or `host:*`. */
export function parseAllowedHost(entry: string): AllowedHost {
  const raw = entry.trim();
  let host = raw;
  let port: string | null = null;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(raw);
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2] ?? null;
  } else if ((raw.match(/:/g) ?? []).length === 1) {
    [host, port] = raw.split(':') as [string, string];
  }
  host = normalizeHost(host);
  const validHost = isIpLiteral(host) || /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/.test(host);
  const validPort = port === null || port === '*' || (/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535);
  if (!validHost || !validPort) throw new Error(`"${raw}" is not host, host:port or host:* (an allowed feed host)`);
  return { host, port: port === null ? null : port === '*' ? '*' : Number(port) };
}

/** The port a URL connects to: its explicit port, else its scheme's default. */
export function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** Whether an allow list opens this host and port. */
export function allowsHostPort(allowed: readonly AllowedHost[], host: string, port: number): boolean {
  const h = normalizeHost(host);
  return allowed.some((a) => a.host === h && (a.port === '*' || (a.port === null ? DEFAULT_PORTS.includes(port) : a.port === port)));
}
