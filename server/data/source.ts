// The one way the engine reads records: explicit fixture records plus synthetic hourly ones,
// limited to the window and to the past. Nothing exists at or after `now`; a synthetic hourly
// record exists once its hour has ended (usage is metered per hour and published when it closes).

import type { StreamSpec } from '../streams/stream.js'
import { measure } from '../streams/stream.js'
import { HOUR_MS } from '../time.js'
import type { UsageRecord } from './records.js'
import { generatorOf, type SeriesVisitor } from './synthetic/emit.js'
import type { SyntheticAccount } from './synthetic/plan.js'
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
 * Visits the synthetic records of one stream over hours [fromHour, toHour), series by series
 * (nothing for a stream without a generator).
 */
export function visitSynthetic<R extends UsageRecord>(
  synthetic: SyntheticAccount,
  spec: StreamSpec<R>,
  fromHour: number,
  toHour: number,
  visitor: SeriesVisitor<R>,
): void {
  const generate = generatorOf(spec)
  if (generate && fromHour < toHour) generate(synthetic, fromHour, toHour, visitor)
}

/** The hours of a window whose synthetic records exist at `now`: [fromHour, toHour). */
export function syntheticHours(window: { fromMs: number; toMs: number; nowMs: number }): {
  fromHour: number
  toHour: number
} {
  const end = Math.min(window.toMs, window.nowMs)
  return {
    fromHour: Math.ceil(window.fromMs / HOUR_MS),
    toHour: Math.min(Math.ceil(end / HOUR_MS), Math.floor(window.nowMs / HOUR_MS)),
  }
}

/** Visits the explicit records of one stream in the window, each as a series of its own, in time order. */
export function visitExplicit<R extends UsageRecord>(
  account: WorldAccount,
  spec: StreamSpec<R>,
  window: { fromMs: number; toMs: number; nowMs: number },
  visitor: SeriesVisitor<R>,
): void {
  const end = Math.min(window.toMs, window.nowMs)
  const explicit = explicitRecords(account, spec)
  for (let i = lowerBound(explicit, window.fromMs); i < explicit.length; i++) {
    const r = explicit[i] as R
    if (r.time >= end) break
    if (visitor.begin(r)) visitor.add(r.time, measure(spec, r))
  }
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
  if (account.synthetic) {
    const { fromHour, toHour } = syntheticHours(window)
    visitSynthetic(account.synthetic, spec, fromHour, toHour, visitor)
  }
  visitExplicit(account, spec, window, visitor)
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
