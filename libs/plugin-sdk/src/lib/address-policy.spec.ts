import { describe, expect, it } from 'vitest';

import { allowsHostPort, isPublicAddress, parseAllowedHost } from './address-policy.js';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254', // AWS / GCP / Azure metadata
    '100.100.100.200', // Alibaba metadata (CGNAT range)
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254', // AWS IMDS over IPv6
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe', // NAT64 of 169.254.169.254
    '2002:7f00:1::', // 6to4 of 127.0.0.1
    '::a9fe:a9fe', // IPv4-compatible 169.254.169.254
    '::7f00:1', // IPv4-compatible 127.0.0.1
    '::0:1',
    '0:0:0:0:0:0:0:1',
    '::10.0.0.1',
    '::808:808', // IPv4-compatible is deprecated: refused even for a public IPv4
    '64:ff9b:1::a9fe:a9fe', // local-use NAT64 of 169.254.169.254
    '::ffff:0:a00:1', // SIIT of 10.0.0.1
    '2606:4700::5efe:a9fe:a9fe', // ISATAP of 169.254.169.254 under a public prefix
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
    '[::1]',
    'fe80::1%eth0',
    'not-an-address',
  ])('refuses %s', (a) => expect(isPublicAddress(a)).toBe(false));

  it.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2606:4700::5efe:808:808'])(
    'allows %s',
    (a) => expect(isPublicAddress(a)).toBe(true),
  );
});

describe('FEED_ALLOWED_HOSTS entries', () => {
  it('read host, host:port, host:* and IPv6 literals, bracketed when they carry a port', () => {
    expect(parseAllowedHost('Mirror.Internal')).toEqual({ host: 'mirror.internal', port: null });
    expect(parseAllowedHost(' mirror.internal:8443 ')).toEqual({ host: 'mirror.internal', port: 8443 });
    expect(parseAllowedHost('127.0.0.1:*')).toEqual({ host: '127.0.0.1', port: '*' });
    expect(parseAllowedHost('[fd00::1]:8080')).toEqual({ host: 'fd00::1', port: 8080 });
    expect(parseAllowedHost('[fd00::1]')).toEqual({ host: 'fd00::1', port: null });
    expect(parseAllowedHost('fd00::1')).toEqual({ host: 'fd00::1', port: null });
    for (const bad of ['mirror:http', 'mirror:0', 'mirror:70000', 'http://mirror', 'a b', ''])
      expect(() => parseAllowedHost(bad), bad).toThrow(/not host, host:port or host:\*/);
  });

  it('a bare host opens its default ports only; host:port that port; host:* every port', () => {
    const allowed = ['status.corp', 'mirror.internal:8443', '127.0.0.1:*'].map(parseAllowedHost);
    expect(allowsHostPort(allowed, 'status.corp', 443)).toBe(true);
    expect(allowsHostPort(allowed, 'STATUS.corp.', 80)).toBe(true);
    expect(allowsHostPort(allowed, 'status.corp', 6379)).toBe(false);
    expect(allowsHostPort(allowed, 'mirror.internal', 8443)).toBe(true);
    expect(allowsHostPort(allowed, 'mirror.internal', 443)).toBe(false);
    expect(allowsHostPort(allowed, '127.0.0.1', 54321)).toBe(true);
    expect(allowsHostPort(allowed, 'other.corp', 443)).toBe(false);
  });
});
