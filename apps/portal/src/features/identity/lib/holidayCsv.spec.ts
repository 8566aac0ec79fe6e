import { describe, expect, it } from 'vitest';

import { parseHolidayCsv } from './holidayCsv';

describe('parseHolidayCsv', () => {
  it('reads date,name lines, skipping a header and blank lines, with commas, semicolons or tabs and quoted names', () => {
    expect(
      parseHolidayCsv('date,name\n2027-01-01,New Year\'s Day\n\n2027-08-01; Swiss National Day\n2027-12-25\t"Christmas Day, observed"\r\n'),
    ).toEqual({
      holidays: [
        { date: '2027-01-01', name: "New Year's Day" },
        { date: '2027-08-01', name: 'Swiss National Day' },
        { date: '2027-12-25', name: 'Christmas Day, observed' },
      ],
      errors: {},
    });
  });

  it('names each line that is not a date and a name', () => {
    const r = parseHolidayCsv('2027-01-01,New Year\n01/05/2027,May Day\n2027-12-25');
    expect(r.holidays).toEqual([{ date: '2027-01-01', name: 'New Year' }]);
    expect(Object.keys(r.errors)).toEqual(['line 2', 'line 3']);
  });
});
