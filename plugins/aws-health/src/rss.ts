import { XMLParser, XMLValidator } from 'fast-xml-parser';

import {
  assertXmlNesting,
  FeedParseError,
  htmlToText,
  rfc822ToIso,
  SEVERITY,
  signal,
  type NormalizedSignal,
  type SignalLevel,
} from '@bulwark/plugin-sdk';

import { regionSelected, serviceSelected, splitServiceKey, type AwsFilter } from './common.js';
import { sortSignals } from './currentevents.js';

/** One `<item>` of the legacy Service Health Dashboard RSS (feeds.md §3a): one update, not one incident. */
export interface RssUpdate {
  /** `{service}-{region}` or `{service}` for global services, from the guid fragment. */
  key: string;
  epochSeconds: number;
  at: string;
  level: SignalLevel;
  resolved: boolean;
  title: string;
  description: string | null;
  link: string | null;
  guid: string;
}

export interface RssParseResult {
  signals: NormalizedSignal[];
  warnings: string[];
}

/** Title prefixes (feeds.md §3a/§8). "Service degradation:" is seen in older regional feeds. */
const PREFIXES: [RegExp, SignalLevel][] = [
  [/^service is operating normally\s*:?\s*/i, 'operational'],
  [/^informational message\s*:?\s*/i, 'info'],
  [/^performance issues?\s*:?\s*/i, 'degraded'],
  [/^service degradation\s*:?\s*/i, 'degraded'],
  [/^service disruption\s*:?\s*/i, 'major_outage'],
];

export function classifyTitle(rawTitle: string): { level: SignalLevel; resolved: boolean; title: string } {
  let title = rawTitle.trim();
  // An unrecognised prefix still announces a problem: count it as degraded rather than ignore it.
  let level: SignalLevel = 'degraded';
  for (const [re, l] of PREFIXES) {
    if (re.test(title)) {
      level = l;
      title = title.replace(re, '');
      break;
    }
  }
  const resolved = level === 'operational' || /\[RESOLVED\]/i.test(title);
  title = title.replace(/\s*\[RESOLVED\]\s*/gi, ' ').trim();
  return { level, resolved, title };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (_name, jpath) => jpath === 'rss.channel.item',
});

function textOf(node: unknown): string | null {
  if (node === null || node === undefined) return null;
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (typeof node === 'object' && '#text' in node) return textOf((node as Record<string, unknown>)['#text']);
  return null;
}

/** Parses an AWS status RSS document into updates; throws FeedParseError when it is not RSS 2.0. */
export function parseRssUpdates(xml: string, baseUrl: string): { updates: RssUpdate[]; warnings: string[] } {
  const body = xml.replace(/^\uFEFF/, '').trim();
  if (body === '') throw new FeedParseError('AWS RSS answered with an empty body');
  assertXmlNesting(body, 'AWS RSS');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new FeedParseError(`AWS RSS is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(body) as { rss?: { channel?: { item?: unknown[] } | string } };
  const channel = doc.rss?.channel;
  if (!channel || typeof channel !== 'object') throw new FeedParseError('AWS RSS has no <rss><channel>');
  const updates: RssUpdate[] = [];
  const warnings: string[] = [];
  for (const [i, raw] of (channel.item ?? []).entries()) {
    const item = (raw ?? {}) as Record<string, unknown>;
    const guid = textOf(item['guid']) ?? '';
    const m = /#?([a-z0-9][a-z0-9-]*)_(\d{9,11})\s*$/i.exec(guid);
    if (!m) {
      warnings.push(`RSS item ${i + 1} skipped: guid "${guid.slice(0, 100)}" is not {service}-{region}_{epochSeconds}`);
      continue;
    }
    const epochSeconds = Number(m[2]);
    const at = rfc822ToIso(textOf(item['pubDate'])) ?? new Date(epochSeconds * 1000).toISOString();
    const { level, resolved, title } = classifyTitle(textOf(item['title']) ?? '');
    const link = textOf(item['link']);
    updates.push({
      key: m[1]!.toLowerCase(),
      epochSeconds,
      at,
      level,
      resolved,
      title,
      description: htmlToText(textOf(item['description'])),
      link: link ? absolute(link, baseUrl) : null,
      guid,
    });
  }
  return { updates, warnings };
}

function absolute(link: string, base: string): string | null {
  try {
    return new URL(link, base.endsWith('/') ? base : `${base}/`).href;
  } catch {
    return null;
  }
}

/**
 * Groups updates by `{service}-{region}`, then splits each group into incidents: an incident runs
 * from its first update to the update that resolves it. The id is the key and the epoch of the
 * incident's first update (both from the guid), so it stays the same while the feed keeps it.
 */
export function rssToSignals(xml: string, filter: AwsFilter, baseUrl: string): RssParseResult {
  const { updates, warnings } = parseRssUpdates(xml, baseUrl);
  const groups = new Map<string, RssUpdate[]>();
  for (const u of updates) {
    const list = groups.get(u.key) ?? [];
    list.push(u);
    groups.set(u.key, list);
  }
  const signals: NormalizedSignal[] = [];
  for (const [key, list] of groups) {
    const { service, region } = splitServiceKey(key);
    if (!regionSelected(filter, region) || !serviceSelected(filter, [service])) continue;
    list.sort((a, b) => a.at.localeCompare(b.at) || a.epochSeconds - b.epochSeconds || a.guid.localeCompare(b.guid));
    let current: RssUpdate[] = [];
    const incidents: RssUpdate[][] = [];
    for (const u of list) {
      current.push(u);
      if (u.resolved) {
        incidents.push(current);
        current = [];
      }
    }
    if (current.length) incidents.push(current);
    for (const inc of incidents) {
      const first = inc[0]!;
      const last = inc[inc.length - 1]!;
      const resolved = last.resolved;
      // Open: how bad it is now. Resolved: how bad it got.
      const level = resolved
        ? inc.reduce<SignalLevel>((w, u) => ((SEVERITY[u.level] ?? 0) > (SEVERITY[w] ?? 0) ? u.level : w), 'operational')
        : last.level;
      signals.push(
        signal({
          externalId: `rss:${key}_${first.epochSeconds}`,
          signalType: 'service_incident',
          service,
          region,
          level,
          lifecycle: resolved ? 'resolved' : 'open',
          title: last.title || first.title || `${service} event`,
          detail: last.description,
          startedAt: first.at,
          updatedAt: last.at,
          resolvedAt: resolved ? last.at : null,
          url: last.link ?? first.link,
          // Provenance: the item of the latest update, by its guid.
          rawRef: { pointer: last.guid },
        }),
      );
    }
  }
  return { signals: sortSignals(signals), warnings };
}
