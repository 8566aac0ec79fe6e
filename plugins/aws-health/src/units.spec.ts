import { describe, expect, it } from 'vitest';

import { configJsonSchema, rfc822ToIso } from '@bulwark/plugin-sdk';

import { regionFromArn, splitServiceKey } from './common.js';
import { decodeFeedBytes } from './decode.js';
import { awsHealthConfigSchema } from './index.js';
import { classifyTitle } from './rss.js';

describe('aws-health helpers', () => {
  it('decodes UTF-16LE/BE with BOM, UTF-8 with and without BOM', () => {
    const s = '[{"summary":"Überlastung – 東京"}]';
    expect(decodeFeedBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]))).toBe(s);
    expect(decodeFeedBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]))).toBe(s);
    expect(decodeFeedBytes(Buffer.from(s, 'utf8'))).toBe(s);
    expect(decodeFeedBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]))).toBe(s);
    expect(decodeFeedBytes(Buffer.from(s, 'utf16le'))).toBe(s); // BOM-less UTF-16 starting with "["
  });

  it('maps RSS zone abbreviations to offsets', () => {
    expect(rfc822ToIso('Tue, 20 Sep 2016 12:44:00 PDT')).toBe('2016-09-20T19:44:00.000Z');
    expect(rfc822ToIso('Wed, 24 Nov 2021 10:55:42 PST')).toBe('2021-11-24T18:55:42.000Z');
    expect(rfc822ToIso('Tue, 11 Mar 2025 09:10:00 Z')).toBe('2025-03-11T09:10:00.000Z');
    expect(rfc822ToIso('Tue, 11 Mar 2025 09:10:00 GMT')).toBe('2025-03-11T09:10:00.000Z');
    expect(rfc822ToIso('Tue, 11 Mar 2025 09:10:00 UTC')).toBe('2025-03-11T09:10:00.000Z');
    expect(rfc822ToIso('11 Mar 2025 09:10 +0100')).toBe('2025-03-11T08:10:00.000Z');
    expect(rfc822ToIso('Tue, 11 Mar 2025 09:10:00 XYZ')).toBeNull();
    expect(rfc822ToIso('yesterday')).toBeNull();
  });

  it('classifies RSS titles (feeds.md §8)', () => {
    expect(classifyTitle('Service is operating normally: [RESOLVED] Increased API Error Rates')).toEqual({
      level: 'operational',
      resolved: true,
      title: 'Increased API Error Rates',
    });
    expect(classifyTitle('Informational message: [RESOLVED] Increased Error Rates')).toEqual({
      level: 'info',
      resolved: true,
      title: 'Increased Error Rates',
    });
    expect(classifyTitle('Performance issues: Elevated latencies')).toEqual({
      level: 'degraded',
      resolved: false,
      title: 'Elevated latencies',
    });
    expect(classifyTitle('Service disruption: Connectivity Issues')).toEqual({
      level: 'major_outage',
      resolved: false,
      title: 'Connectivity Issues',
    });
  });

  it('splits service keys and ARNs', () => {
    expect(splitServiceKey('ec2-us-east-1')).toEqual({ service: 'ec2', region: 'us-east-1' });
    expect(splitServiceKey('internetconnectivity-us-gov-west-1')).toEqual({ service: 'internetconnectivity', region: 'us-gov-west-1' });
    expect(splitServiceKey('management-console')).toEqual({ service: 'management-console', region: 'global' });
    expect(regionFromArn('arn:aws:health:eu-central-1::event/S3/X/Y')).toBe('eu-central-1');
    expect(regionFromArn('arn:aws:health:::event/IAM/X/Y')).toBe('global');
    expect(regionFromArn('arn:aws:health:global::event/IAM/X/Y')).toBe('global');
  });
});

describe('aws-health config', () => {
  it('has defaults and renders as JSON Schema for the source form', async () => {
    expect(awsHealthConfigSchema.parse({})).toEqual({
      baseUrl: 'https://health.aws.amazon.com',
      rssBaseUrl: 'https://status.aws.amazon.com',
      services: [],
      regions: [],
      useRssFallback: true,
    });
    expect(awsHealthConfigSchema.parse({ services: [' EC2 '], regions: ['US-EAST-1'] })).toMatchObject({
      services: ['ec2'],
      regions: ['us-east-1'],
    });
    expect(() => awsHealthConfigSchema.parse({ regions: ['N. Virginia'] })).toThrow();
    expect(() => awsHealthConfigSchema.parse({ baseUrl: 'file:///etc/passwd' })).toThrow();
    const schema = configJsonSchema(awsHealthConfigSchema) as { properties: Record<string, { description?: string }> };
    expect(Object.keys(schema.properties)).toEqual(['baseUrl', 'rssBaseUrl', 'services', 'regions', 'useRssFallback']);
    expect(Object.values(schema.properties).every((p) => !!p.description)).toBe(true);
  });
});
