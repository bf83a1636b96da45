// RFC 3339 instants, as grpc-gateway parses google.protobuf.Timestamp query values
// (protojson: time.RFC3339Nano, upper-case `T`, `Z` or ±hh:mm, at most 9 fraction digits,
// years 0001..9999). A date without a time is rejected.

/** An exact instant: floor(epoch milliseconds) plus the nanoseconds below the millisecond. */
export interface Instant {
  ms: number
  subNs: number
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/
const MIN_MS = -62135596800000 // 0001-01-01T00:00:00Z
const MAX_MS = 253402300799999 // 9999-12-31T23:59:59.999Z

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

export function parseRfc3339(text: string): Instant | null {
  const m = RFC3339.exec(text)
  if (!m) return null
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  if (hour > 23 || minute > 59 || second > 59) return null
  let offsetMinutes = 0
  if (!m[8]) {
    const oh = Number(m[10])
    const om = Number(m[11])
    if (oh > 23 || om > 59) return null
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om)
  }
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day) // setUTCFullYear, unlike Date.UTC, keeps years 0..99 literal
  d.setUTCHours(hour, minute, second, 0)
  const fraction = (m[7] ?? '').padEnd(9, '0')
  const ms = d.getTime() - offsetMinutes * 60_000 + Number(fraction.slice(0, 3))
  if (ms < MIN_MS || ms > MAX_MS) return null
  return { ms, subNs: Number(fraction.slice(3)) }
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.ms - b.ms || a.subNs - b.subNs
}

/**
 * The first whole millisecond at or after the instant. Record times are whole milliseconds, so
 * `t >= start` is `t >= ceilMs(start)` and `t < end` is `t < ceilMs(end)`, exactly.
 */
export function ceilMs(i: Instant): number {
  return i.subNs > 0 ? i.ms + 1 : i.ms
}

/** RFC 3339 in UTC with `Z` and no fractional seconds (floored to the second). */
export function formatUtcSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

/** RFC 3339 in UTC with milliseconds only when they are not zero. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000
