// The one way the engine reads records: explicit fixture records plus synthetic hourly ones,
// limited to the window and to the past. Nothing exists at or after `now`; a synthetic hourly
// record exists once its hour has ended (usage is metered per hour and published when it closes).
// With a usage lag (lag.ts), records of the hours not yet settled show only what has arrived;
// a fixture record with `settledAt` does until then.

import type { StreamSpec } from '../model/stream.js'
import { ARRIVAL_UNITS, measure, visiblePart } from '../streams/stream.js'
import { HOUR_MS } from '../time.js'
import { arrivingHours, arrivingVisitor, explicitUnits, settledHours, type Lag } from './lag.js'
import type { UsageRecord } from '../model/records.js'
import { generatorOf } from './synthetic/emit.js'
import type { SeriesVisitor } from '../model/stream.js'
import type { SyntheticAccount } from './synthetic/plan.js'
import type { WorldAccount } from './world.js'

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

/** The records a question reads: fromMs <= time < toMs, existing at nowMs, with the session's lag. */
export interface RecordWindow {
  fromMs: number
  toMs: number
  nowMs: number
  /** Undefined: no lag, every existing record is whole. */
  lag?: Lag | undefined
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
export function syntheticHours(window: RecordWindow): {
  fromHour: number
  toHour: number
} {
  const end = Math.min(window.toMs, window.nowMs)
  return {
    fromHour: Math.ceil(window.fromMs / HOUR_MS),
    toHour: Math.min(Math.ceil(end / HOUR_MS), Math.floor(window.nowMs / HOUR_MS)),
  }
}

/**
 * The synthetic hours of a window that are still arriving at now, [fromHour, toHour): the
 * hours before them have settled (whole), the hours after show nothing yet. Empty without a lag.
 */
export function arrivingRange(window: RecordWindow): { fromHour: number; toHour: number } {
  const { fromHour, toHour } = syntheticHours(window)
  if (!window.lag) return { fromHour: toHour, toHour }
  const from = Math.max(fromHour, Math.min(toHour, settledHours(window.lag, window.nowMs)))
  return { fromHour: from, toHour: Math.max(from, Math.min(toHour, arrivingHours(window.lag, window.nowMs))) }
}

/**
 * Visits the explicit records of one stream in the window, each as a series of its own, in time
 * order; a record with `settledAt` only with what is visible at now, and not at all while nothing is.
 */
export function visitExplicit<R extends UsageRecord>(
  account: WorldAccount,
  spec: StreamSpec<R>,
  window: RecordWindow,
  visitor: SeriesVisitor<R>,
): void {
  const end = Math.min(window.toMs, window.nowMs)
  const explicit = explicitRecords(account, spec)
  let out: number[] | undefined
  for (let i = lowerBound(explicit, window.fromMs); i < explicit.length; i++) {
    const r = explicit[i] as R
    if (r.time >= end) break
    const units = r.settledAt === undefined ? ARRIVAL_UNITS : explicitUnits(r.time, r.settledAt, window.nowMs)
    if (units === 0 || !visitor.begin(r)) continue
    const m = measure(spec, r)
    visitor.add(r.time, units === ARRIVAL_UNITS ? m : visiblePart(spec, r, m, 0, units, (out ??= [])))
  }
}

/**
 * Visits the records of one stream with fromMs <= time < toMs and time < nowMs (whole
 * milliseconds): synthetic series first (the settled hours, then those still arriving), then
 * each explicit record as a series of its own.
 */
export function visitRecords<R extends UsageRecord>(
  account: WorldAccount,
  spec: StreamSpec<R>,
  window: RecordWindow,
  visitor: SeriesVisitor<R>,
): void {
  if (account.synthetic) {
    const { fromHour } = syntheticHours(window)
    const arriving = arrivingRange(window)
    visitSynthetic(account.synthetic, spec, fromHour, arriving.fromHour, visitor)
    if (window.lag && arriving.fromHour < arriving.toHour)
      visitSynthetic(
        account.synthetic,
        spec,
        arriving.fromHour,
        arriving.toHour,
        arrivingVisitor(spec, window.lag, window.nowMs, visitor),
      )
  }
  visitExplicit(account, spec, window, visitor)
}

/** The records of one stream in a window, as objects (for exports and small windows): what is visible at now. */
export function recordsIn<R extends UsageRecord>(
  account: WorldAccount,
  spec: StreamSpec<R>,
  window: RecordWindow,
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

/** The explicit records of a list that carry `settledAt`, in time order (usually none). */
const settlingLists = new WeakMap<readonly UsageRecord[], readonly UsageRecord[]>()
function settlingOf(list: readonly UsageRecord[]): readonly UsageRecord[] {
  let settling = settlingLists.get(list)
  if (!settling) settlingLists.set(list, (settling = list.filter(r => r.settledAt !== undefined)))
  return settling
}

/** The earliest explicit record of [fromMs, toMs) that exists at now but has not settled; Infinity if none. */
function firstUnsettled(account: WorldAccount, fromMs: number, toMs: number, nowMs: number): number {
  let first = Infinity
  const end = Math.min(toMs, nowMs)
  for (const list of account.records.values())
    for (const r of settlingOf(list)) {
      if (r.time >= end || r.time >= first) break
      if (r.time >= fromMs && (r.settledAt as number) > nowMs) first = r.time
    }
  return first
}

/**
 * The instant before which every record of the account is final at now (the header
 * x-mock-settled-until): with a lag, the start of the first hour not settled (the service's
 * pipeline, for every account alike), and the first fixture record still settling; Infinity
 * when nothing lags.
 */
export function settledUntil(account: WorldAccount, nowMs: number, lag: Lag | undefined): number {
  const hours = lag ? settledHours(lag, nowMs) * HOUR_MS : Infinity
  return Math.min(hours, firstUnsettled(account, -Infinity, hours, nowMs))
}

/**
 * Whether everything of [fromMs, toMs) is final at now (usageCosts' attributionCompleteness):
 * with a lag, the window ends by the first hour not settled; and no fixture record in it is
 * still settling.
 */
export function windowSettled(account: WorldAccount, window: RecordWindow): boolean {
  const { fromMs, toMs, nowMs, lag } = window
  if (lag && toMs > settledHours(lag, nowMs) * HOUR_MS) return false
  return firstUnsettled(account, fromMs, toMs, nowMs) === Infinity
}

/**
 * What of a window exists at `now`, as a key: two clocks with the same key see exactly the
 * same records of [fromMs, toMs). Once the window is complete nothing changes any more; until
 * then, synthetic data changes once an hour and explicit data record by record. A synthetic
 * record of the hour holding toMs is inside the window but exists only once that hour has
 * ended, so a synthetic account's window is complete at the end of that hour, not at toMs.
 * With a lag, a window is complete once its last hour has settled, and until then an answer
 * depends on the very instant (how much has arrived) and on the lag: the key names both; so does
 * a window holding a fixture record still settling.
 */
export function existenceKey(account: WorldAccount, fromMs: number, toMs: number, nowMs: number, lag?: Lag): string {
  const ended = account.synthetic || lag ? Math.ceil(toMs / HOUR_MS) * HOUR_MS : toMs
  const completeMs = ended + (lag?.settleMs ?? 0)
  const settling = firstUnsettled(account, fromMs, toMs, nowMs) !== Infinity
  if (nowMs >= completeMs && !settling) return 'all'
  const lagged = lag ? `|lag ${lag.text}` : ''
  if (nowMs <= fromMs) return `none${lagged}`
  if (settling || lag) return `at ${nowMs}${lagged}`
  let seen = 0
  for (const list of account.records.values()) seen += lowerBound(list, nowMs)
  return `${Math.floor(nowMs / HOUR_MS)}:${seen}`
}
