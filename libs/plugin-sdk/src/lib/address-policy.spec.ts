import { describe, expect, it } from 'vitest';

import { isPublicAddress } from './address-policy.js';

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
