import { z } from 'zod';

import { entityId, isoDate } from './common.js';
import { timeZoneSchema } from './slas.js';

/**
 * The organization's settings (issue 12): its time zone, in which notice periods are counted, and its public
 * holiday calendar, which business-day notices skip. Admins change them; every member of staff reads them.
 */
export const organizationViewSchema = z.object({
  id: entityId,
  /** Read-only: set when the organization is created. */
  name: z.string(),
  slug: z.string(),
  /** IANA time zone (default `UTC`): the issue date of a notice is the issue instant's date here. */
  timeZone: z.string(),
  holidayCount: z.number().int().min(0),
});
export type OrganizationView = z.output<typeof organizationViewSchema>;

/** Only the time zone is editable; the name is read-only (no rule for renaming an organization exists). */
export const updateOrganizationSchema = z.strictObject({ timeZone: timeZoneSchema });
export type UpdateOrganizationInput = z.output<typeof updateOrganizationSchema>;

export const holidaySchema = z.strictObject({
  date: isoDate,
  name: z.string().trim().min(1, 'name the holiday').max(200),
});

export const holidayViewSchema = z.object({ id: entityId, date: isoDate, name: z.string() });
export type HolidayView = z.output<typeof holidayViewSchema>;

export const holidayListQuery = z.strictObject({
  /** Only this calendar year's holidays. */
  year: z.coerce.number().int().min(1900).max(2200).optional(),
});

/** One or more holidays at once (a pasted CSV of a year): all or none are added. */
export const addHolidaysSchema = z
  .strictObject({ holidays: z.array(holidaySchema).min(1, 'add at least one holiday').max(400) })
  .refine((b) => new Set(b.holidays.map((h) => h.date)).size === b.holidays.length, {
    message: 'each date at most once',
    path: ['holidays'],
  });
export type AddHolidaysInput = z.output<typeof addHolidaysSchema>;

export const holidayListSchema = z.object({ items: z.array(holidayViewSchema) });
