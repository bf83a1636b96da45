// The one way the engine reads records: explicit fixture records plus synthetic hourly ones,
// limited to the window and to the past. Nothing exists at or after `now`; a synthetic hourly
// record exists once its hour has ended (usage is metered per hour and published when it closes).

import type { StreamSpec } from '../streams/stream.js'
import { measure } from '../streams/stream.js'
import { HOUR_MS } from '../time.js'
import type { UsageRecord } from './records.js'
import { generatorOf, type SeriesVisitor } from './synthetic/emit.js'
import type { WorldAccount } from './world.js'

export type { SeriesVisitor } from './synthetic/emit.js'

/** First index whose time is >= t, in a list sorted by time. */
function lowerBound(list: readonly { time: number }[], t: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((list[mid] as { time: number }).time < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The explicit records of one stream, sorted by time. */
export function explicitRecords<R extends UsageRecord>(account: WorldAccount, spec: StreamSpec<R>): readonly R[] {
  return (account.records.get(spec.kind) ?? []) as readonly R[]
}

/**
 * Visits the records of one stream with fromMs <= time < toMs and time < nowMs (whole
 * milliseconds): synthetic series first, then each explicit record as a series of its own.
 */
export function visitRecords<R extends UsageRecord>(
  account: WorldAccount,
  spec: StreamSpec<R>,
  window: { fromMs: number; toMs: number; nowMs: number },
  visitor: SeriesVisitor<R>,
): void {
  const { fromMs, toMs, nowMs } = window
  const end = Math.min(toMs, nowMs)
  const generate = account.synthetic ? generatorOf(spec) : undefined
  if (generate && account.synthetic) {
    const fromHour = Math.ceil(fromMs / HOUR_MS)
    const toHour = Math.min(Math.ceil(end / HOUR_MS), Math.floor(nowMs / HOUR_MS))
    if (fromHour < toHour) generate(account.synthetic, fromHour, toHour, visitor)
  }
  const explicit = explicitRecords(account, spec)
  for (let i = lowerBound(explicit, fromMs); i < explicit.length; i++) {
    const r = explicit[i] as R
    if (r.time >= end) break
    if (visitor.begin(r)) visitor.add(r.time, measure(spec, r))
  }
}

/** The records of one stream in a window, as objects (for exports and small windows). */
export function recordsIn<R extends UsageRecord>(
  account: WorldAccount,
  spec: StreamSpec<R>,
  window: { fromMs: number; toMs: number; nowMs: number },
): R[] {
  const out: R[] = []
  let template: R
  visitRecords(account, spec, window, {
    begin: t => {
      template = t
      return true
    },
    add: (time, m) => out.push(spec.recordAt(template, time, m)),
  })
  return out
}

/**
 * What of a window exists at `now`, as a key: two clocks with the same key see exactly the
 * same records of [fromMs, toMs). Once the window is complete nothing changes any more; until
 * then, synthetic data changes once an hour and explicit data record by record. A synthetic
 * record of the hour holding toMs is inside the window but exists only once that hour has
 * ended, so a synthetic account's window is complete at the end of that hour, not at toMs.
 */
export function existenceKey(account: WorldAccount, fromMs: number, toMs: number, nowMs: number): string {
  const completeMs = account.synthetic ? Math.ceil(toMs / HOUR_MS) * HOUR_MS : toMs
  if (nowMs >= completeMs) return 'all'
  if (nowMs <= fromMs) return 'none'
  let seen = 0
  for (const list of account.records.values()) seen += lowerBound(list, nowMs)
  return `${Math.floor(nowMs / HOUR_MS)}:${seen}`
}
