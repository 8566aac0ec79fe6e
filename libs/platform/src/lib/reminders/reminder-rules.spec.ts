import { describe, expect, it } from 'vitest';

import { dueWindow, dueWording, fireDate, rulesAt, STANDARD_RULES, whenWording } from './reminder-rules.js';

describe('reminder rules', () => {
  const due = '2027-03-31';

  it('fires each step on its own day, relative to the due date', () => {
    expect(STANDARD_RULES.map((r) => [r.id, fireDate(due, r)])).toEqual([
      ['due-30d', '2027-03-01'],
      ['due-7d', '2027-03-24'],
      ['due-1d', '2027-03-30'],
      ['on-due', '2027-03-31'],
      ['overdue+1d', '2027-04-01'],
      ['overdue+7d', '2027-04-07'],
    ]);
  });

  it('the latest step whose day has come is due; earlier passed ones are superseded, later ones wait', () => {
    expect(rulesAt(STANDARD_RULES, due, '2027-02-28')).toEqual({ due: null, superseded: [] });
    expect(rulesAt(STANDARD_RULES, due, '2027-03-01').due?.id).toBe('due-30d');
    const late = rulesAt(STANDARD_RULES, due, '2027-03-30');
    expect(late.due?.id).toBe('due-1d');
    expect(late.superseded.map((r) => r.id)).toEqual(['due-30d', 'due-7d']);
    expect(rulesAt(STANDARD_RULES, due, '2027-05-01').due).toMatchObject({ id: 'overdue+7d', escalate: true });
  });

  it('the window a subject is asked for spans every due date that can still have a step to fire', () => {
    expect(dueWindow(STANDARD_RULES, '2027-03-01', 30)).toEqual({ from: '2027-01-23', to: '2027-03-31' });
  });

  it('words a due date from today, across a month end', () => {
    expect(['2027-04-05', '2027-04-01', '2027-03-31', '2027-03-30', '2027-03-24'].map((d) => dueWording(d, due))).toEqual([
      'due in 5 days',
      'due tomorrow',
      'due today',
      '1 day overdue',
      '7 days overdue',
    ]);
    expect(['2027-04-05', '2027-04-01', '2027-03-31', '2027-03-30'].map((d) => whenWording(d, due))).toEqual([
      'in 5 days',
      'tomorrow',
      'today',
      'today',
    ]);
  });
});
