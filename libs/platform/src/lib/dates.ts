/** Today's calendar date (`YYYY-MM-DD`, UTC): the day due dates, expiries and overdue are judged on. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
