import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

import {
  assertXmlNesting,
  FeedParseError,
  htmlToText,
  rfc822ToIso,
  signal,
  type NormalizedSignal,
  type SignalLifecycle,
} from '@bulwark/plugin-sdk';

import { canonicalRegion, findRegions } from './regions.js';

export interface AzureFilter {
  /** Service names, as on the status page ("Virtual Machines"); empty = all. */
  services: readonly string[];
  /** Region display names ("East US 2"); empty = all. Global and multi-region items are always kept. */
  regions: readonly string[];
}

export interface AzureParseResult {
  signals: NormalizedSignal[];
  warnings: string[];
}

/** The value `region` takes when an item names several regions. */
export const MULTIPLE_REGIONS = 'Multiple Regions';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (_name, jpath) => jpath === 'rss.channel.item' || jpath === 'rss.channel.item.category',
});

function textOf(node: unknown): string | null {
  if (node === null || node === undefined) return null;
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return String(node).trim();
  if (typeof node === 'object' && '#text' in node) return textOf((node as Record<string, unknown>)['#text']);
  return null;
}

const NEGATED = /\b(?:not|never)\s+(?:yet\s+)?(?:been\s+|be\s+)?(?:fully\s+)?(?:resolved|mitigated)\b/i;
const TITLE_RESOLVED = /\b(?:resolved|mitigated)\b/i;
/** Past-tense statements only: "we expect it to be mitigated by 10:00" must not close the item. */
const DESCRIPTION_RESOLVED =
  /\b(?:(?:has|have|had)\s+(?:now\s+)?been\s+(?:fully\s+)?(?:resolved|mitigated)|(?:is|was|are|were)\s+(?:now\s+)?(?:fully\s+)?(?:resolved|mitigated)|(?:engineers|we)\s+(?:have\s+)?mitigated|mitigation\s+(?:is|was|has\s+been)\s+(?:complete|confirmed))\b/i;

/** Resolved when the title says resolved/mitigated (feeds.md §8), or the description says it was. */
export function lifecycleOf(title: string, description: string | null): SignalLifecycle {
  if (TITLE_RESOLVED.test(title) && !NEGATED.test(title)) return 'resolved';
  if (description && DESCRIPTION_RESOLVED.test(description) && !NEGATED.test(description)) return 'resolved';
  return 'open';
}

function absolute(link: string | null, base: string): string | null {
  if (!link) return null;
  try {
    return new URL(link, base.endsWith('/') ? base : `${base}/`).href;
  } catch {
    return null;
  }
}

const eq = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const mentions = (text: string, name: string) =>
  new RegExp(`(?<![A-Za-z0-9])${name.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'i').test(text);

/**
 * Azure status RSS 2.0 (feeds.md §4a). Healthy is a channel titled "Azure Status" with no items, so
 * the channel title is what proves this is the feed; anything else (HTML, another feed) throws.
 */
export function parseAzureFeed(xml: string, filter: AzureFilter, baseUrl: string): AzureParseResult {
  const body = xml.replace(/^\uFEFF/, '').trim();
  if (body === '') throw new FeedParseError('Azure status feed answered with an empty body');
  assertXmlNesting(body, 'Azure status feed');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new FeedParseError(`Azure status feed is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(body) as { rss?: { channel?: unknown } };
  const channel = doc.rss?.channel;
  if (!channel || typeof channel !== 'object' || Array.isArray(channel))
    throw new FeedParseError('Azure status feed has no <rss><channel>');
  const ch = channel as Record<string, unknown>;
  const channelTitle = textOf(ch['title']);
  if (channelTitle !== 'Azure Status')
    throw new FeedParseError(
      `Not the Azure status feed: the channel title is ${channelTitle === null ? 'missing' : `not "Azure Status" (${channelTitle.length} characters)`}`,
    );

  const items = (ch['item'] ?? []) as unknown[];
  const signals: NormalizedSignal[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of items.entries()) {
    const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
    const title = textOf(item['title']) ?? '';
    const description = htmlToText(textOf(item['description']));
    const categories = ((item['category'] ?? []) as unknown[]).map(textOf).filter((c): c is string => !!c);
    const pubDate = textOf(item['pubDate']);
    const at = rfc822ToIso(pubDate);
    if (pubDate && !at) warnings.push(`Item ${i + 1}: cannot read pubDate "${pubDate.slice(0, 60)}"`);

    let externalId = textOf(item['guid']);
    if (!externalId) {
      if (!title) {
        warnings.push(`Item ${i + 1} skipped: it has neither a guid nor a title`);
        continue;
      }
      externalId = `title:${createHash('sha256').update(title).digest('hex').slice(0, 16)}`;
      warnings.push(`Item ${i + 1} has no guid; its id is derived from the title`);
    }
    if (seen.has(externalId)) {
      warnings.push(`Item ${i + 1} skipped: guid "${externalId}" repeats an earlier item`);
      continue;
    }
    seen.add(externalId);

    // "Service - Region - status": segments; categories name the service and/or the region.
    const segments = title
      .split(/\s+[-–—]\s+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const categoryRegions = categories.map(canonicalRegion).filter((r): r is string => !!r);
    const regionList = [
      ...new Set(
        categoryRegions.length ? categoryRegions : findRegions(title).length ? findRegions(title) : findRegions(description ?? ''),
      ),
    ];
    const namedRegions = regionList.filter((r) => r !== 'global' && r !== MULTIPLE_REGIONS);
    const region =
      regionList.length === 0
        ? null
        : regionList.length === 1
          ? regionList[0]!
          : namedRegions.length > 1
            ? MULTIPLE_REGIONS
            : (namedRegions[0] ?? regionList[0]!);
    const service =
      categories.find((c) => !canonicalRegion(c)) ?? (segments.length >= 2 && !canonicalRegion(segments[0]!) ? segments[0]! : null);

    if (
      filter.regions.length &&
      namedRegions.length &&
      !regionList.includes('global') &&
      !namedRegions.some((r) => filter.regions.some((f) => eq(f, r)))
    )
      continue;
    if (
      filter.services.length &&
      service &&
      !filter.services.some((f) => eq(f, service) || categories.some((c) => eq(c, f)) || mentions(title, f))
    )
      continue;

    const lifecycle = lifecycleOf(title, description);
    signals.push(
      signal({
        externalId,
        signalType: 'service_incident',
        service,
        region,
        // The feed publishes no severity: an item is an incident (feeds.md §8).
        level: 'degraded',
        lifecycle,
        title: title || `${service ?? 'Azure'} incident`,
        detail: description && namedRegions.length > 1 ? `${description}\nRegions: ${namedRegions.join(', ')}` : description,
        startedAt: at,
        updatedAt: at,
        resolvedAt: lifecycle === 'resolved' ? at : null,
        url: absolute(textOf(item['link']), baseUrl) ?? `${baseUrl}/en-us/status/`,
        // Provenance: the item by its guid, or by its position when it has none.
        rawRef: { pointer: textOf(item['guid']) ?? `item ${i + 1}` },
      }),
    );
  }
  return { signals, warnings };
}
