/**
 * Do-not-disturb hours in the user's own time zone: `{start, end}` as "HH:MM" local wall-clock
 * times, a window that wraps past midnight when start > end ("22:00"–"07:00"); start == end is an
 * empty window. Local time comes from Intl with the IANA zone, so daylight saving is handled.
 */
import * as z from 'zod/mini';
import '../config/zod-english.ts';

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const WallClockTime = z.string().check(z.regex(HH_MM, 'a time is "HH:MM" (00:00 to 23:59)'));

export const DoNotDisturb = z.strictObject({ start: WallClockTime, end: WallClockTime });
export type DoNotDisturb = z.infer<typeof DoNotDisturb>;

/** An IANA time zone name that this runtime's Intl knows, e.g. "Europe/Paris". */
export const TimeZone = z.string().check(z.refine(isKnownTimeZone, 'timeZone must be an IANA time zone name such as "Europe/Paris"'));

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight at `now` in `timeZone`. */
export function minutesOfDayIn(timeZone: string, now: Date): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(now);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

export function isWithinDoNotDisturb(window: DoNotDisturb, timeZone: string, now: Date): boolean {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start === end) return false;
  const local = minutesOfDayIn(timeZone, now);
  return start < end ? local >= start && local < end : local >= start || local < end;
}

function minutesOf(time: string): number {
  const [hours = '0', minutes = '0'] = time.split(':');
  return Number(hours) * 60 + Number(minutes);
}
