/**
 * RFC-822 dates as RSS feeds write them (AWS: `Tue, 20 Sep 2016 12:44:00 PDT`, Azure: `Tue, 11 Mar 2025 09:10:00 Z`).
 * Zone names are mapped here instead of trusting `Date.parse`, whose support for them varies by engine.
 */
const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/** Offsets in minutes east of UTC. */
const ZONES: Record<string, number> = {
  Z: 0,
  UT: 0,
  UTC: 0,
  GMT: 0,
  PST: -8 * 60,
  PDT: -7 * 60,
  MST: -7 * 60,
  MDT: -6 * 60,
  CST: -6 * 60,
  CDT: -5 * 60,
  EST: -5 * 60,
  EDT: -4 * 60,
};

const RFC822 =
  /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([A-Za-z]+|[+-]\d{4}|[+-]\d{2}:\d{2})?$/;

/** RFC-822 date to UTC ISO-8601, or null when it cannot be read (or names an unknown zone). */
export function rfc822ToIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = RFC822.exec(value.trim());
  if (!m) return null;
  const month = MONTHS[m[2]!.toLowerCase()];
  if (month === undefined) return null;
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year < 70 ? 2000 : 1900;
  const zone = m[7] ?? 'GMT';
  let offset: number | undefined;
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (numeric) offset = (numeric[1] === '-' ? -1 : 1) * (Number(numeric[2]) * 60 + Number(numeric[3]));
  else offset = ZONES[zone.toUpperCase()];
  if (offset === undefined) return null;
  const ms = Date.UTC(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) - offset * 60_000;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
