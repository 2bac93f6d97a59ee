// The one date parser: machine dates (feeds, JSON-LD, meta tags) read in the source's time zone
// when they name none, and dates as pages print them ("March 25, 2015", "2/26/2015 7:11 AM PST").

/** Offset of `timeZone` from UTC at `date`, in minutes. */
function zoneOffset(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(date);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - date.getTime()) / 60000);
}

export function parseDate(raw: string | undefined, timezone = 'UTC'): Date | undefined {
  if (!raw || !raw.trim()) return undefined;
  const s = raw.trim();
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return undefined;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC|UT|[ECMP][SD]T)|[+-]\d{4})$/i.test(s);
  if (hasZone) return d;
  // Without a zone, Date read the wall clock as local time (a bare date as UTC): take that wall
  // clock and read it in the source's zone instead.
  const wall = /^\d{4}-\d{2}-\d{2}$/.test(s)
    ? d.getTime()
    : Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds());
  return new Date(wall - zoneOffset(new Date(wall), timezone) * 60000);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, string> = {
  UTC: 'Z', GMT: 'Z', Z: 'Z', EST: '-05:00', EDT: '-04:00', CST: '-06:00', CDT: '-05:00', MST: '-07:00', MDT: '-06:00',
  PST: '-08:00', PDT: '-07:00', BST: '+01:00', CET: '+01:00', CEST: '+02:00', MSK: '+03:00', AEST: '+10:00', AEDT: '+11:00', IST: '+05:30',
};
const MONTH_RE = '(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const TIME_RE = '(?:,?\\s*(?:at\\s+)?(\\d{1,2}):(\\d{2})\\s*([ap])?\\.?m?\\.?(?:\\s*([A-Z]{1,4})\\b)?)?';
const VISIBLE_DATES = [
  // March 25, 2015 [3:46 PM EDT]
  { re: new RegExp(`\\b${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TIME_RE}`, 'i'), order: ['month', 'day', 'year'] },
  // 15 October 2019 [at 09:11]
  { re: new RegExp(`\\b(\\d{1,2})\\s+${MONTH_RE},?\\s+(\\d{4})${TIME_RE}`, 'i'), order: ['day', 'month', 'year'] },
  // 2019-02-15 [08:42]
  { re: new RegExp(`\\b(\\d{4})-(\\d{2})-(\\d{2})${TIME_RE}`, 'i'), order: ['year', 'monthNum', 'day'] },
  // 2/26/2015 7:11 AM PST (US order, as English-language pages print it)
  { re: new RegExp(`\\b(\\d{1,2})/(\\d{1,2})/(\\d{4})${TIME_RE}`, 'i'), order: ['monthNum', 'day', 'year'] },
] as const;

/** A date as a page prints it ("By Nathan Willis March 25, 2015") -> a string parseDate reads;
 * without a printed zone it stays zone-less, to be read in the source's time zone. */
export function visibleDate(text: string): string | undefined {
  for (const { re, order } of VISIBLE_DATES) {
    const m = re.exec(text);
    if (!m) continue;
    const v: Record<string, string> = {};
    order.forEach((k, i) => (v[k] = m[i + 1]!));
    const month = v['monthNum'] ? Number(v['monthNum']) : MONTHS.indexOf(v['month']!.slice(0, 3).toLowerCase()) + 1;
    const day = Number(v['day']);
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    let hour = m[4] ? Number(m[4]) : undefined;
    const ampm = m[6]?.toLowerCase();
    if (hour !== undefined && ampm === 'p' && hour < 12) hour += 12;
    if (hour !== undefined && ampm === 'a' && hour === 12) hour = 0;
    const pad = (n: number) => String(n).padStart(2, '0');
    const date = `${v['year']}-${pad(month)}-${pad(day)}`;
    if (hour === undefined) return date;
    const zone = m[7] ? ZONES[m[7].toUpperCase()] : undefined;
    return `${date}T${pad(hour)}:${m[5]}:00${zone ?? ''}`;
  }
  return undefined;
}

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
// A date or time inside a byline ("By Nathan Willis March 25, 2015", "2/26/2015 7:11 AM PST").
export const DATE_IN_BYLINE = new RegExp(
  [
    `\\b${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}`,
    `\\b\\d{1,2}\\s+${MONTH},?\\s+\\d{4}`,
    '\\b\\d{1,4}[/.-]\\d{1,2}[/.-]\\d{2,4}',
    '\\b\\d{1,2}:\\d{2}(?::\\d{2})?\\s*(?:[ap]\\.?m\\.?)?(?:\\s*[A-Z]{2,4}\\b)?',
    '\\b(?:updated|published|posted)\\b(?!\\s+by\\b).*$',
    '\\b\\d+\\s+(?:minutes?|hours?|days?)\\s+ago\\b',
  ].join('|'),
  'gi',
);
