// The one date parser: machine dates (feeds, JSON-LD, meta tags) read in the source's time zone
// when they name none, and dates as pages print them ("March 25, 2015", "2/26/2015 7:11 AM PST").

/** Offset of `timeZone` from UTC at `date`, in minutes. */
function zoneOffset(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(date);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - date.getTime()) / 60000);
}

// Machine dates as CMSs miswrite them: milliseconds after a colon ("22:06:08:684Z"), an offset
// without its leading zero ("10:15-500"), month and day without theirs ("2022-5-3T23:57:00"),
// and ISO 8601's basic format ("20180619T055000+0900"). Date rejects them all; the instant they
// mean is plain.
const COLON_MILLIS = /(T\d{2}:\d{2}:\d{2}):(\d{3})(?=Z|[+-]|$)/;
const SHORT_OFFSET = /(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([+-])(\d)(\d{2})$/;
const UNPADDED_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})(?=T|$)/;
const BASIC_FORMAT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{2}:?\d{2})?$/i;
const pad2 = (n: string) => n.padStart(2, '0');

export function parseDate(raw: string | undefined, timezone = 'UTC'): Date | undefined {
  if (!raw || !raw.trim()) return undefined;
  const s = raw
    .trim()
    .replace(COLON_MILLIS, '$1.$2')
    .replace(SHORT_OFFSET, '$1$20$3:$4')
    .replace(UNPADDED_DAY, (_, y: string, m: string, d: string) => `${y}-${pad2(m)}-${pad2(d)}`)
    .replace(BASIC_FORMAT, (_, y: string, mo: string, d: string, h: string, mi: string, sec: string | undefined, z: string | undefined) => `${y}-${mo}-${d}T${h}:${mi}:${sec ?? '00'}${z ?? ''}`);
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

// Month names as pages print them, by month: English, German, French, Spanish, Italian,
// Portuguese, Dutch (prefixes long enough to be unambiguous; "mär" and "mar" are March).
const MONTH_NAMES: string[][] = [
  ['jan', 'jän', 'janv', 'janvier', 'enero', 'ene', 'gennaio', 'gen', 'janeiro', 'januari'],
  ['feb', 'fév', 'févr', 'février', 'febrero', 'febbraio', 'fevereiro', 'februari'],
  ['mar', 'mär', 'märz', 'mars', 'marzo', 'março', 'maart', 'mrt'],
  ['apr', 'avr', 'avril', 'abril', 'abr', 'aprile'],
  ['may', 'mai', 'mayo', 'maggio', 'mag', 'maio', 'mei'],
  ['jun', 'juin', 'junio', 'giugno', 'giu', 'junho', 'juni'],
  ['jul', 'juil', 'juillet', 'julio', 'luglio', 'lug', 'julho', 'juli'],
  ['aug', 'août', 'aout', 'agosto', 'ago', 'augustus'],
  ['sep', 'sept', 'septembre', 'septiembre', 'set', 'settembre', 'setembro', 'september'],
  ['oct', 'okt', 'octobre', 'octubre', 'ottobre', 'ott', 'outubro', 'oktober'],
  ['nov', 'novembre', 'noviembre', 'novembro', 'november'],
  ['dec', 'dez', 'déc', 'décembre', 'diciembre', 'dic', 'dicembre', 'dezembro', 'december', 'dezember'],
];
const monthOf = (name: string): number => {
  const n = name.toLowerCase().replace(/\.$/, '');
  // The longest listed prefix of the printed name wins ("mar" of "marzo", "mai" of "mai").
  let best = 0;
  let len = 0;
  MONTH_NAMES.forEach((names, i) => {
    for (const m of names) if (n.startsWith(m) && m.length > len) [best, len] = [i + 1, m.length];
  });
  return len >= 3 ? best : 0;
};
// Printed zone names: a fixed offset, or for the US zones written without standard or daylight
// ("11:00 AM PT", "9:00 ET") the region, whose offset on that day the wall clock decides.
const ZONES: Record<string, string> = {
  UTC: 'Z', GMT: 'Z', Z: 'Z', EST: '-05:00', EDT: '-04:00', CST: '-06:00', CDT: '-05:00', MST: '-07:00', MDT: '-06:00',
  PST: '-08:00', PDT: '-07:00', BST: '+01:00', CET: '+01:00', CEST: '+02:00', MEZ: '+01:00', MESZ: '+02:00', MSK: '+03:00',
  AEST: '+10:00', AEDT: '+11:00', IST: '+05:30', JST: '+09:00', KST: '+09:00',
  ET: 'America/New_York', CT: 'America/Chicago', MT: 'America/Denver', PT: 'America/Los_Angeles',
};
const MONTH_RE = '(\\p{L}{3,10}\\.?)';
// The zone after a time, in capitals (case-sensitive even in the case-blind date patterns), and
// not the start of a longer word: "11:05 IST" and "11:05 ISTShare" (text run into a button's
// word, a capital and then lower case), never "at 10 Uhr Stuttgart" nor a longer capitalised
// name ("11:05 PTI", the news agency; "10:39 ZDF"; "9:30 AM ETF"). "GMT+1", "UTC+05:30" carry
// their offset.
const ZONE_RE = `(?:\\s*\\(?(?-i:(${Object.keys(ZONES).sort((a, b) => b.length - a.length).join('|')})(?![a-z]|[A-Z](?![a-z])))(?:([+-])(\\d{1,2})(?::?(\\d{2}))?)?\\)?)?`;
// A time after the date: "3:46 PM EDT", "at 09:11", "10:39 Uhr", "15時30分", "@ 11:10 PM UTC".
const TIME_RE = `(?:,?\\s*(?:at\\s+|um\\s+|à\\s+|a las\\s+|-\\s*|@\\s*)?(\\d{1,2})[:時h](\\d{2})分?(?::\\d{2})?\\s*(?:([ap])\\.?m\\.?)?(?:\\s*(?:Uhr|h))?${ZONE_RE})?`;
type Order = readonly ('year' | 'month' | 'monthNum' | 'day')[];
const VISIBLE_DATES: Array<{ re: RegExp; order: Order }> = [
  // March 25, 2015 [3:46 PM EDT]
  { re: new RegExp(`(?<!\\p{L})${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TIME_RE}`, 'giu'), order: ['month', 'day', 'year'] },
  // 15 October 2019 [at 09:11], 5. November 2021, le 5 novembre 2021, 5 de noviembre de 2021
  { re: new RegExp(`\\b(\\d{1,2})(?:\\.|er)?\\s+(?:de\\s+)?${MONTH_RE},?\\s+(?:de\\s+)?(\\d{4})${TIME_RE}`, 'giu'), order: ['day', 'month', 'year'] },
  // 2019-02-15 [08:42], 2019/04/04, 2019.03.08, 2019年3月5日, 2019년 3월 5일
  { re: new RegExp(`\\b(\\d{4})(?:-|/|\\.|年|년\\s*)(\\d{1,2})(?:-|/|\\.|月|월\\s*)(\\d{1,2})(?:日|일)?(?!\\d)${TIME_RE}`, 'giu'), order: ['year', 'monthNum', 'day'] },
  // 05.11.2021 [15:34], as Europe writes day.month.year
  { re: new RegExp(`\\b(\\d{1,2})\\.\\s?(\\d{1,2})\\.\\s?(\\d{4})${TIME_RE}`, 'giu'), order: ['day', 'monthNum', 'year'] },
  // 2/26/2015 7:11 AM PST: month first in American English, day first elsewhere (see slashOrder)
  { re: new RegExp(`\\b(\\d{1,2})/(\\d{1,2})/(\\d{4})${TIME_RE}`, 'giu'), order: ['monthNum', 'day', 'year'] },
];

const offsetText = (minutes: number): string => {
  if (minutes === 0) return 'Z';
  const a = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
};

/** The offset a printed zone gives the wall clock `wall` ("2016-11-28T11:00:00" PT -> -08:00). */
function printedOffset(wall: string, name: string, sign?: string, hours?: string, minutes?: string): string {
  const zone = ZONES[name]!;
  if (sign) return offsetText((sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes ?? 0)));
  if (!zone.includes('/')) return zone;
  // The zone's offset at the wall clock read as UTC is its offset at the instant but for the
  // hours around a change of clocks, when news is rarely filed.
  return offsetText(zoneOffset(new Date(`${wall}Z`), zone));
}

/**
 * A date as a page prints it ("By Nathan Willis March 25, 2015", "5. November 2021, 10:39 Uhr",
 * "2019年3月5日", "05.11.2021") -> a string parseDate reads; without a printed zone it stays
 * zone-less, to be read in the source's time zone. A slashed day/month/year is read month first
 * only on American English pages (`language` en-US, or none given), day first elsewhere.
 */
export function visibleDate(text: string, language?: string): string | undefined {
  return findVisibleDate(text, language)?.date;
}

/** visibleDate, and how much of the text the date takes up (the rest is labels and names). */
export function findVisibleDate(text: string, language?: string): { date: string; length: number } | undefined {
  let m: RegExpExecArray | null;
  // exec on the shared global regexes, not matchAll: matchAll clones the regex and builds an
  // iterator per call, and this runs on every short line of every page (bench/extract.ts).
  for (const { re, order } of VISIBLE_DATES) for (re.lastIndex = 0, m = re.exec(text); m; m = re.exec(text)) {
    const v: Record<string, string> = {};
    for (let i = 0; i < order.length; i++) v[order[i]!] = m[i + 1]!;
    let month = v['monthNum'] ? Number(v['monthNum']) : monthOf(v['month']!);
    let day = Number(v['day']);
    if (order[0] === 'monthNum' && language && !/^en-us$/i.test(language) && !/^en$/i.test(language)) [month, day] = [day, month];
    if (order[0] === 'monthNum' && month > 12 && day <= 12) [month, day] = [day, month];
    if (month < 1 || month > 12 || day < 1 || day > 31) continue;
    let hour = m[4] ? Number(m[4]) : undefined;
    const ampm = m[6]?.toLowerCase();
    if (hour !== undefined && ampm === 'p' && hour < 12) hour += 12;
    if (hour !== undefined && ampm === 'a' && hour === 12) hour = 0;
    const pad = (n: number) => String(n).padStart(2, '0');
    const date = `${v['year']}-${pad(month)}-${pad(day)}`;
    if (hour === undefined || hour > 23) return { date, length: m[0].length };
    const wall = `${date}T${pad(hour)}:${m[5]}:00`;
    return { date: `${wall}${m[7] ? printedOffset(wall, m[7], m[8], m[9], m[10]) : ''}`, length: m[0].length };
  }
  return undefined;
}

/** The zero values CMSs write for "no date": Go's time.Time{} and .NET's DateTime.MinValue
 * (0001-01-01), the Unix epoch (1970-01-01T00:00), year 0000. */
export const isZeroDate = (d: string): boolean => /^\s*(?:000[01]-|1970-01-01(?:[T ]00:00(?::00)?(?:\.0+)?(?:Z|[+-]00:?00)?)?\s*$)/i.test(d);

/** The day a permalink names: "/2014/05/18/alles-neue/" -> "2014-05-18" (year, month, day as
 * path segments, as WordPress's date permalinks and many news sites write them). */
export function urlDate(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const m = /\/((?:199[1-9]|20\d{2}))\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])(?:\/|$)/.exec(path);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** How much a printed date ("2019-10-09", "2019-10-09T11:05:00", "...+05:30") says: a day (0),
 * a wall-clock time (1), an instant (2). */
export const precision = (d: string): number => (d.length <= 10 ? 0 : /(?:Z|[+-]\d{2}:?\d{2})$/i.test(d) ? 2 : 1);

/** `first`, unless `other` states the same date (the same day, the same wall-clock minute where
 * both have one) and says more: "Dec 9, 2016" and data-published="2016-12-09 09:13:00Z". */
export function moreExact(first: string | undefined, other: string | undefined): string | undefined {
  if (!first || !other) return first ?? other;
  const same = first.slice(0, 10) === other.slice(0, 10) && (first.length <= 10 || other.length <= 10 || first.slice(11, 16) === other.slice(11, 16));
  return same && precision(other) > precision(first) ? other : first;
}

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
// A date or time inside a byline ("By Nathan Willis March 25, 2015", "2/26/2015 7:11 AM PST").
export const DATE_IN_BYLINE = new RegExp(
  [
    `\\b${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}`,
    `\\b\\d{1,2}\\s+${MONTH},?\\s+\\d{4}`,
    '\\b\\d{1,4}[/.-]\\d{1,2}[/.-]\\d{2,4}',
    `\\b\\d{1,2}\\.\\s*${MONTH}\\s*\\d{4}`,
    '\\d{4}\\s*[年년]\\s*\\d{1,2}\\s*[月월]\\s*\\d{1,2}\\s*[日일]?(?:\\s*\\d{1,2}\\s*[時시:]\\s*\\d{1,2}\\s*[分분]?)?',
    '\\b\\d{1,2}:\\d{2}(?::\\d{2})?\\s*(?:[ap]\\.?m\\.?)?(?:\\s*[A-Z]{2,4}\\b)?',
    '\\b(?:updated|published|posted)\\b(?!\\s+by\\b).*$',
    '\\b\\d+\\s+(?:minutes?|hours?|days?)\\s+ago\\b',
  ].join('|'),
  'gi',
);
