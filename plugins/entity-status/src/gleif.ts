import { z } from 'zod';

import { FeedParseError, signal, toIso, type NormalizedSignal, type SignalLevel } from '@bulwark/plugin-sdk';

/** GLEIF API v1 `lei-records` (JSON:API), feeds.md §7. Only the fields used are validated. */
const nullableString = z.string().nullable().optional();

const leiRecordSchema = z.object({
  id: z.string(),
  attributes: z.object({
    lei: z.string(),
    entity: z.object({
      legalName: z.object({ name: z.string(), language: nullableString }),
      jurisdiction: nullableString,
      category: nullableString,
      status: nullableString,
      expiration: z.object({ date: nullableString, reason: nullableString }).nullable().optional(),
      successorEntity: z.object({ lei: nullableString, name: nullableString }).nullable().optional(),
    }),
    registration: z.object({
      initialRegistrationDate: nullableString,
      lastUpdateDate: nullableString,
      status: z.string(),
      nextRenewalDate: nullableString,
      managingLou: nullableString,
      corroborationLevel: nullableString,
    }),
  }),
});

/** A single record (`/lei-records/{LEI}`) or a list (`/lei-records?filter[lei]=…`). */
const leiDocumentSchema = z.object({ data: z.union([leiRecordSchema, z.array(leiRecordSchema)]) });

export type LeiRecord = z.infer<typeof leiRecordSchema>;

/** The record for `lei` in a GLEIF document, or null when the document does not hold it. */
export function parseLeiDocument(raw: unknown, lei: string): LeiRecord | null {
  const parsed = leiDocumentSchema.safeParse(raw);
  if (!parsed.success) throw new FeedParseError(`GLEIF: unexpected shape (${z.prettifyError(parsed.error).slice(0, 500)})`);
  const records = Array.isArray(parsed.data.data) ? parsed.data.data : [parsed.data.data];
  return records.find((r) => r.id.toUpperCase() === lei || r.attributes.lei.toUpperCase() === lei) ?? null;
}

/**
 * feeds.md §8: ISSUED + entity ACTIVE → operational; LAPSED → info; RETIRED, ANNULLED, MERGED →
 * degraded; entity INACTIVE → major_outage (whatever the registration status). Not in the table:
 * DUPLICATE and CANCELLED (the LEI is void) → degraded; TRANSFERRED, PENDING_TRANSFER and
 * PENDING_ARCHIVAL (the record moves between issuers) → info; anything else → unknown.
 */
export function leiLevel(registrationStatus: string, entityStatus: string | null): SignalLevel {
  if (entityStatus === 'INACTIVE') return 'major_outage';
  switch (registrationStatus) {
    case 'ISSUED':
      return entityStatus === 'ACTIVE' ? 'operational' : 'unknown';
    case 'LAPSED':
    case 'TRANSFERRED':
    case 'PENDING_TRANSFER':
    case 'PENDING_ARCHIVAL':
      return 'info';
    case 'RETIRED':
    case 'ANNULLED':
    case 'MERGED':
    case 'DUPLICATE':
    case 'CANCELLED':
      return 'degraded';
    default:
      return 'unknown';
  }
}

export const gleifRecordUrl = (lei: string) => `https://search.gleif.org/#/record/${lei}`;

const dateOnly = (v: string | null | undefined) => (v ? (toIso(v)?.slice(0, 10) ?? v) : null);

export function leiSignal(rec: LeiRecord): NormalizedSignal {
  const { entity, registration } = rec.attributes;
  const lei = rec.attributes.lei.toUpperCase();
  const regStatus = registration.status.toUpperCase();
  const entityStatus = entity.status ? entity.status.toUpperCase() : null;
  const level = leiLevel(regStatus, entityStatus);
  const expiration = { date: toIso(entity.expiration?.date), reason: entity.expiration?.reason ?? null };
  const successor =
    entity.successorEntity?.lei || entity.successorEntity?.name
      ? { lei: entity.successorEntity.lei ?? null, name: entity.successorEntity.name ?? null }
      : null;
  const parts = [
    `LEI ${lei} registration ${regStatus}, entity ${entityStatus ?? 'status not reported'}.`,
    regStatus === 'LAPSED'
      ? `The registration lapsed: it was due for renewal on ${dateOnly(registration.nextRenewalDate) ?? 'an unknown date'} and was not renewed.`
      : `Next renewal ${dateOnly(registration.nextRenewalDate) ?? 'not reported'}.`,
    expiration.reason || expiration.date
      ? `Entity expiration: ${expiration.reason ?? 'reason not reported'}${expiration.date ? ` on ${expiration.date.slice(0, 10)}` : ''}.`
      : '',
    successor ? `Successor entity: ${[successor.name, successor.lei].filter(Boolean).join(', ')}.` : '',
    `Record last updated ${toIso(registration.lastUpdateDate) ?? 'at an unknown time'}.`,
  ];
  return signal({
    externalId: `lei:${lei}`,
    signalType: 'entity_status',
    level,
    title: `${entity.legalName.name}: LEI ${regStatus}${entityStatus ? `, entity ${entityStatus}` : ''}`,
    detail: parts.filter(Boolean).join(' '),
    updatedAt: toIso(registration.lastUpdateDate),
    url: gleifRecordUrl(lei),
    score: {
      model: 'lei-status',
      value: null,
      band: regStatus,
      inputs: {
        entityStatus,
        nextRenewalDate: toIso(registration.nextRenewalDate),
        lastUpdateDate: toIso(registration.lastUpdateDate),
        legalName: entity.legalName.name,
        expiration,
        ...(successor ? { successorEntity: successor } : {}),
        jurisdiction: entity.jurisdiction ?? null,
        category: entity.category ?? null,
      },
    },
  });
}
