import type { FieldErrors } from '../../../shared/lib/forms';

/** `date,name` lines (a header line and blank lines are skipped; `;` or a tab also separate). */
export function parseHolidayCsv(text: string): { holidays: { date: string; name: string }[]; errors: FieldErrors } {
  const holidays: { date: string; name: string }[] = [];
  const errors: FieldErrors = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || /^date\s*[,;\t]/i.test(line)) return;
    const m = /^(\d{4}-\d{2}-\d{2})\s*[,;\t]\s*(.+)$/.exec(line);
    if (!m) errors[`line ${i + 1}`] = `"${line.slice(0, 60)}" is not "YYYY-MM-DD,Name"`;
    else holidays.push({ date: m[1]!, name: m[2]!.replace(/^"(.*)"$/, '$1').trim() });
  });
  return { holidays, errors };
}
