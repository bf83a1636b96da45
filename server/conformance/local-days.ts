// The probe's own idea of a "local calendar day" in an IANA zone [contract 1.5], computed with
// nothing but Intl, so it checks the mock's buckets (server/usage/buckets.ts, luxon) rather than
// repeating them. A day starts at the first minute whose local date is new: offsets have been
// whole minutes in every zone since 1972, so a minute grid finds every midnight, and a midnight
// that a DST jump skips starts the day at its first instant, as the contract says.

import { formatUtc, HOUR_MS } from '../time.js'

const MINUTE_MS = 60_000

export interface Span {
  startMs: number
  endMs: number
}

export interface LocalDay extends Span {
  /** The local calendar date, YYYY-MM-DD. */
  date: string
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(zone, formatter)
  }
  return formatter
}

/** Whether this runtime's Intl knows the zone. */
export function isKnownZone(zone: string): boolean {
  try {
    formatterOf(zone)
    return true
  } catch {
    return false
  }
}

/** The local date (YYYY-MM-DD) of an instant in the zone. */
export function localDate(zone: string, ms: number): string {
  const parts = Object.fromEntries(
    formatterOf(zone)
      .formatToParts(new Date(ms))
      .map(p => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day}`
}

/** The first minute after `fromMs` (exclusive) and at or before `toMs` whose local date differs from `date`. */
function firstMinuteOfOtherDate(zone: string, date: string, fromMs: number, toMs: number): number {
  for (let t = fromMs + MINUTE_MS; t < toMs; t += MINUTE_MS) if (localDate(zone, t) !== date) return t
  return toMs
}

/** The start of the local day holding `ms` (`ms` on the minute grid). */
function dayStart(zone: string, ms: number): number {
  const date = localDate(zone, ms)
  let probe = ms
  // Hour steps back until the date changes, then minute steps forward to the boundary.
  while (localDate(zone, probe - HOUR_MS) === date) probe -= HOUR_MS
  return firstMinuteOfOtherDate(zone, localDate(zone, probe - HOUR_MS), probe - HOUR_MS, probe)
}

/** The start of the local day after the one holding `ms` (`ms` on the minute grid). */
function nextDayStart(zone: string, ms: number): number {
  const date = localDate(zone, ms)
  let probe = ms
  while (localDate(zone, probe + HOUR_MS) === date) probe += HOUR_MS
  return firstMinuteOfOtherDate(zone, date, probe, probe + HOUR_MS)
}

/** The local days of the zone that overlap [fromMs, toMs), whole (not clipped). */
export function localDays(zone: string, fromMs: number, toMs: number): LocalDay[] {
  const days: LocalDay[] = []
  let start = dayStart(zone, Math.floor(fromMs / MINUTE_MS) * MINUTE_MS)
  while (start < toMs) {
    const end = nextDayStart(zone, start)
    days.push({ date: localDate(zone, start), startMs: start, endMs: end })
    start = end
  }
  return days
}

/** The same days clipped to the window: the bounds rows must carry [ours]. */
export function clippedLocalDays(zone: string, fromMs: number, toMs: number): LocalDay[] {
  return localDays(zone, fromMs, toMs).map(d => ({
    ...d,
    startMs: Math.max(d.startMs, fromMs),
    endMs: Math.min(d.endMs, toMs),
  }))
}

/** `2026-11-01T07:00:00Z..2026-11-02T08:00:00Z (25 h)`, for reports. */
export function describeSpan(span: Span): string {
  const hours = (span.endMs - span.startMs) / HOUR_MS
  return `${formatUtc(span.startMs)}..${formatUtc(span.endMs)} (${Number.isInteger(hours) ? hours : hours.toFixed(2)} h)`
}
