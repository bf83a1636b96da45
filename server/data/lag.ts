// Usage that arrives late [costs-and-accounts.md section 4]. The real service publishes an hour's
// usage some time after the hour ends and keeps adding to it for a day or more (cost tools leave
// out "today and yesterday, whose usage may still be arriving"). With USAGE_LAG=<delay>/<settle>
// the mock does the same: an hour's synthetic usage is invisible until `delay` after the hour
// ends, then arrives, and is final from `settle` after the hour ends. How much of a record is
// visible is counted in 1/1024ths (ARRIVAL_UNITS), a pure function of (seed, series, hour, now)
// that never decreases as now moves, so every operation at the same now reads the same records.
// A fixture record is final as soon as it exists unless it carries `settledAt`.

import { ARRIVAL_UNITS, visiblePart } from '../streams/stream.js'
import { type StreamSpec } from '../model/stream.js'
import { badUsageLag } from '../messages.js'
import { DAY_MS, HOUR_MS } from '../time.js'
import { hashString, mix } from './hash.js'
import type { UsageRecord } from '../model/records.js'
import type { SeriesVisitor } from '../model/stream.js'

/** A session's lag: `0` (none), or a delay and a settle time after the end of each hour. */
export interface UsageLag {
  delayMs: number
  settleMs: number
  /** As it was given: `0`, `2h/26h`. */
  text: string
}

export const NO_LAG: UsageLag = { delayMs: 0, settleMs: 0, text: '0' }

/**
 * [ours] At most a week: "a day or more" is what clients see, and every hour not yet settled is
 * summed again for each question (the settled ones come from the engine's hourly sums).
 */
export const MAX_SETTLE_MS = 7 * DAY_MS

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: HOUR_MS, d: DAY_MS }

function lagDuration(text: string): number | undefined {
  if (text === '0') return 0
  const m = /^(\d+)([smhd])$/.exec(text)
  const ms = m ? Number(m[1]) * (UNITS[m[2] as string] as number) : NaN
  return Number.isSafeInteger(ms) ? ms : undefined
}

/** `0` or `<delay>/<settle>`; an Error naming the rule otherwise (the settings and PUT /_mock/usage-lag). */
export function parseUsageLag(text: string): UsageLag {
  if (text === '0') return NO_LAG
  const [delayText, settleText, ...more] = text.split('/')
  const delayMs = lagDuration(delayText ?? '')
  const settleMs = lagDuration(settleText ?? '')
  if (more.length > 0 || delayMs === undefined || settleMs === undefined || delayMs > settleMs)
    throw badUsageLag(MAX_SETTLE_MS / DAY_MS)
  if (settleMs > MAX_SETTLE_MS) throw badUsageLag(MAX_SETTLE_MS / DAY_MS)
  return settleMs === 0 ? { ...NO_LAG, text } : { delayMs, settleMs, text }
}

/** What the engine reads of a lag that is on: the lag, and the seed the arrival shapes come from. */
export interface Lag extends UsageLag {
  seed: number
}

/** The engine's view of a lag; undefined when it is off (`0`, `0/0`): today's answers, byte for byte. */
export function lagOf(usageLag: UsageLag, seed: number): Lag | undefined {
  return usageLag.settleMs > 0 ? { ...usageLag, seed } : undefined
}

/** Hours below this one have settled at now: (h + 1) x 1 h + settle <= now. */
export function settledHours(lag: Lag, nowMs: number): number {
  return Math.floor((nowMs - lag.settleMs) / HOUR_MS)
}

/** Hours at or above this one show nothing yet at now: (h + 1) x 1 h + delay > now. */
export function arrivingHours(lag: Lag, nowMs: number): number {
  return Math.floor((nowMs - lag.delayMs) / HOUR_MS)
}

/**
 * [ours] Synthetic usage arrives in batches, one a minute after the hour's end + delay: between
 * two batches nothing changes, so every question of that minute reuses the hour's partial sums.
 */
export const ARRIVAL_STEP_MS = 60_000

/**
 * The batch of an hour's usage that is the latest to have arrived at now: -1 before the hour's
 * end + delay, then 0, 1, ... one a minute; Infinity once the hour has settled.
 */
export function arrivalStep(lag: Lag, hour: number, nowMs: number): number {
  const endMs = (hour + 1) * HOUR_MS
  if (nowMs >= endMs + lag.settleMs) return Infinity
  return Math.floor((nowMs - endMs - lag.delayMs) / ARRIVAL_STEP_MS)
}

/**
 * How much of a synthetic record of `hour` has arrived at now, in 1/ARRIVAL_UNITS: none before
 * the hour's end + delay; from then a first share (0 to half, drawn from (seed, series, hour))
 * at once, the rest batch by batch, faster at first and slower later (a quadratic in the time
 * elapsed: most usage arrives early, with a long tail, as from pipelines that retry); all of it
 * from the hour's end + settle. Integer arithmetic on whole seconds (every product stays below
 * 2^53), so the same on every machine.
 */
export function syntheticUnits(lag: Lag, series: number, hour: number, nowMs: number): number {
  const step = arrivalStep(lag, hour, nowMs)
  if (step < 0) return 0
  if (step === Infinity) return ARRIVAL_UNITS
  const first = mix(mix(lag.seed, series), hour) & (ARRIVAL_UNITS / 2 - 1)
  const span = (lag.settleMs - lag.delayMs) / 1000
  const elapsed = (step * ARRIVAL_STEP_MS) / 1000
  return first + Math.floor(((ARRIVAL_UNITS - first) * elapsed * (2 * span - elapsed)) / (span * span))
}

/**
 * [ours] How much of a fixture record with `settledAt` is visible at now: in proportion to the
 * time elapsed from its `time` to `settledAt`, rounded down to 1/ARRIVAL_UNITS (so it can be
 * computed by hand), all of it from `settledAt` on.
 */
export function explicitUnits(time: number, settledAt: number, nowMs: number): number {
  if (nowMs >= settledAt) return ARRIVAL_UNITS
  if (nowMs <= time) return 0
  return Math.floor((ARRIVAL_UNITS * (nowMs - time)) / (settledAt - time))
}

/** A series' identity for its arrival shapes: its stream, account and every dimension's value. */
const seriesHashes = new WeakMap<object, number>()
export function seriesHash<R extends UsageRecord>(spec: StreamSpec<R>, template: R): number {
  let h = seriesHashes.get(template)
  if (h === undefined) {
    const values = Object.values(spec.dimensions).map(get => get(template))
    h = hashString([spec.kind, template.account, ...values].join('\u0000'))
    seriesHashes.set(template, h)
  }
  return h
}

/**
 * Wraps a visitor of synthetic records of unsettled hours: each record is passed on with only
 * what has arrived at now, and not at all while nothing has.
 */
export function arrivingVisitor<R extends UsageRecord>(
  spec: StreamSpec<R>,
  lag: Lag,
  nowMs: number,
  visitor: SeriesVisitor<R>,
): SeriesVisitor<R> {
  const out: number[] = []
  let template: R
  let series = 0
  return {
    begin(t) {
      if (!visitor.begin(t)) return false
      template = t
      series = seriesHash(spec, t)
      return true
    },
    add(time, m) {
      const units = syntheticUnits(lag, series, time / HOUR_MS, nowMs)
      if (units === ARRIVAL_UNITS) visitor.add(time, m)
      else if (units > 0) visitor.add(time, visiblePart(spec, template, m, 0, units, out))
    },
  }
}
