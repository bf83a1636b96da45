// Daily buckets [real: daily; ours: details]: local calendar days in an IANA zone, midnight to
// midnight (23 or 25 hours across DST), clipped to the query window.

import { DateTime } from 'luxon'
import { formatUtcSeconds, HOUR_MS } from '../time.js'
import type { Bucket } from '../model/bucket.js'

// Local midnights come from the runtime's zone rules through luxon, a formatToParts call per
// offset: a third of a computed answer's time. Windows repeat, so the lists are remembered, in
// a bounded table since windows come from clients.
const MEMO_LIMIT = 1024
const memo = new Map<string, readonly Bucket[]>()

/** The local days that overlap [fromMs, toMs), each clipped to the window, in order. */
export function bucketsFor(fromMs: number, toMs: number, zone: string): readonly Bucket[] {
  const key = `${fromMs}|${toMs}|${zone}`
  let buckets = memo.get(key)
  if (!buckets) {
    buckets = Object.freeze(localDays(fromMs, toMs, zone).map(b => Object.freeze(b)))
    if (memo.size >= MEMO_LIMIT) memo.clear()
    memo.set(key, buckets)
  }
  return buckets
}

function localDays(fromMs: number, toMs: number, zone: string): Bucket[] {
  const buckets: Bucket[] = []
  // startOf('day') moves a midnight that does not exist (a DST jump at 00:00) to the first
  // instant of the day that does, which is where that local day begins.
  let day = DateTime.fromMillis(fromMs, { zone }).startOf('day')
  while (day.toMillis() < toMs) {
    const next = day.plus({ days: 1 }).startOf('day')
    const startMs = Math.max(day.toMillis(), fromMs)
    const endMs = Math.min(next.toMillis(), toMs)
    buckets.push({ startMs, endMs, startTime: formatUtcSeconds(startMs), endTime: formatUtcSeconds(endMs) })
    day = next
  }
  return buckets
}

/** Index of the bucket holding t (which must lie in the window), by binary search. */
export function bucketIndex(buckets: readonly Bucket[], t: number): number {
  let lo = 0
  let hi = buckets.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if ((buckets[mid] as Bucket).startMs <= t) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** [ours] UTC hours that overlap [fromMs, toMs), each clipped to the window (usageCosts:query's HOUR). */
export function hoursFor(fromMs: number, toMs: number): Bucket[] {
  const buckets: Bucket[] = []
  for (let h = Math.floor(fromMs / HOUR_MS) * HOUR_MS; h < toMs; h += HOUR_MS) {
    const startMs = Math.max(h, fromMs)
    const endMs = Math.min(h + HOUR_MS, toMs)
    buckets.push({ startMs, endMs, startTime: formatUtcSeconds(startMs), endTime: formatUtcSeconds(endMs) })
  }
  return buckets
}
