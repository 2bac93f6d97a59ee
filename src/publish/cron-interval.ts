// RSS <ttl> from the fetch schedule. Only publish needs it: HTTP freshness (freshness.ts) asks
// node-cron for the next run instead, since Cache-Control counts down to it.

/** Plain-ish cron schedules to minutes between runs; anything fancier counts as hourly. */
export function cronIntervalMinutes(expr: string): number {
  const f = expr.trim().split(/\s+/);
  const fields = f.length === 6 ? f.slice(1) : f;
  const [min = '', hour = ''] = fields;
  const step = (field: string) => {
    const m = /^\*\/(\d+)$/.exec(field);
    return m ? Number(m[1]) : field === '*' ? 1 : null;
  };
  const minStep = step(min);
  const hourStep = step(hour);
  if (hour === '*' && minStep) return minStep;
  if (/^\d+$/.test(min) && hourStep) return hourStep * 60;
  if (/^\d+$/.test(min) && /^\d+$/.test(hour)) return 24 * 60;
  return 60;
}
