import "server-only";
import { AppError } from "@/lib/server/errors";

export type ReleaseCadence = "weekly" | "monthly";

/** A release period: `version` names it; `start` is inclusive and `end` exclusive (UTC instants). */
export interface ReleasePeriod {
  version: string;
  start: Date;
  end: Date;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const WEEK = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

/** Monday 00:00 UTC of ISO week 1 of `year` (the week holding January 4th). */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - weekday * DAY_MS;
}

function isoWeeksInYear(year: number): number {
  return Math.round((isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / (7 * DAY_MS));
}

/**
 * Parses a release window name: a UTC month "2026-11" or an ISO week "2026-W47". The version of the
 * release is the window name itself, so one window is published at most once.
 */
export function parseReleaseWindow(name: string): ReleasePeriod {
  const month = MONTH.exec(name);
  if (month) {
    const year = Number(month[1]);
    const monthIndex = Number(month[2]) - 1;
    if (monthIndex < 0 || monthIndex > 11) throw new AppError("BAD_REQUEST", `"${name}" is not a valid month (use YYYY-MM).`);
    return { version: name, start: new Date(Date.UTC(year, monthIndex, 1)), end: new Date(Date.UTC(year, monthIndex + 1, 1)) };
  }
  const week = WEEK.exec(name);
  if (week) {
    const year = Number(week[1]);
    const weekNumber = Number(week[2]);
    if (weekNumber < 1 || weekNumber > isoWeeksInYear(year)) {
      throw new AppError("BAD_REQUEST", `"${name}" is not a valid ISO week (${year} has ${isoWeeksInYear(year)} weeks).`);
    }
    const start = isoWeekOneMonday(year) + (weekNumber - 1) * 7 * DAY_MS;
    return { version: name, start: new Date(start), end: new Date(start + 7 * DAY_MS) };
  }
  throw new AppError("BAD_REQUEST", `"${name}" is not a release window: use a month (2026-11) or an ISO week (2026-W47).`);
}

/** The ISO week name ("2026-W47") of the week that contains `date`. */
function isoWeekName(date: Date): string {
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const thursday = day + (3 - ((new Date(day).getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - isoWeekOneMonday(year)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The last complete period before the one containing `now`, e.g. "2026-10" on any day of November 2026. */
export function previousPeriod(now: Date, cadence: ReleaseCadence): ReleasePeriod {
  if (cadence === "monthly") {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    return parseReleaseWindow(`${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, "0")}`);
  }
  return parseReleaseWindow(isoWeekName(new Date(now.getTime() - 7 * DAY_MS)));
}

/** The period that contains `now` (still running). */
export function periodContaining(now: Date, cadence: ReleaseCadence): ReleasePeriod {
  if (cadence === "weekly") return parseReleaseWindow(isoWeekName(now));
  return parseReleaseWindow(`${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`);
}

/** YYYY-MM-DD of an instant (UTC): the date coarsening used in releases. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
