import { epochToIso, type SignalLevel } from '@bulwark/plugin-sdk';

/** The part of the config the parsers need; codes are lower-case. Empty lists mean "all". */
export interface AwsFilter {
  services: readonly string[];
  regions: readonly string[];
}

/** Region codes: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `us-isob-east-1`, `cn-north-1`. */
const SERVICE_REGION = /^(.+?)-([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)$/;

/** `ec2-us-east-1` → `{ service: 'ec2', region: 'us-east-1' }`; `management-console` → global. */
export function splitServiceKey(key: string): { service: string; region: string } {
  const k = key.trim().toLowerCase();
  const m = SERVICE_REGION.exec(k);
  return m ? { service: m[1]!, region: m[2]! } : { service: k, region: 'global' };
}

/** Region of an AWS Health ARN: `arn:aws:health:{region}::event/...`; empty or `global` → `global`. */
export function regionFromArn(arn: string): string | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 'health') return null;
  const region = parts[3]!.trim().toLowerCase();
  return region === '' || region === 'global' ? 'global' : region;
}

/** `arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/...` → `ec2`. */
export function serviceFromArn(arn: string): string | null {
  const m = /:event\/([^/]+)\//.exec(arn);
  return m ? m[1]!.toLowerCase() : null;
}

/** Global events are always kept: they affect every region. */
export function regionSelected(filter: AwsFilter, region: string): boolean {
  return filter.regions.length === 0 || region === 'global' || filter.regions.includes(region);
}

export function serviceSelected(filter: AwsFilter, services: readonly string[]): boolean {
  return filter.services.length === 0 || services.some((s) => filter.services.includes(s));
}

/** currentevents / legacy status codes (feeds.md §8): 0 normal, 1 informational, 2 degraded, 3 disruption. */
export function levelFromCode(code: string | number | null | undefined): SignalLevel {
  switch (String(code ?? '').trim()) {
    case '0':
      return 'operational';
    case '1':
      return 'info';
    case '2':
      return 'degraded';
    case '3':
      return 'major_outage';
    default:
      return 'unknown';
  }
}

/** `epochToIso` that never throws (out-of-range numbers give null). */
export function safeEpochIso(value: string | number | null | undefined): string | null {
  try {
    return epochToIso(value);
  } catch {
    return null;
  }
}
