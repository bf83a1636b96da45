// The one way the engine reads records: explicit fixture records plus synthetic hourly ones,
// limited to the window and to the past. Nothing exists at or after `now`; a synthetic hourly
// record exists once its hour has ended (usage is metered per hour and published when it closes).

import { HOUR_MS } from '../time.js'
import { measuresOf, recordAt, type RecordOfStream, type Stream } from './records.js'
import { visitDedicated, visitServerless, visitTraining, type SeriesVisitor, type SyntheticAccount } from './synthetic.js'
import type { WorldAccount } from './world.js'

export type { SeriesVisitor } from './synthetic.js'

const GENERATORS: { [S in Stream]: (acct: SyntheticAccount, fromHour: number, toHour: number, v: SeriesVisitor<RecordOfStream[S]>) => void } = {
  serverless: visitServerless,
  dedicated: visitDedicated,
  training: visitTraining,
}

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

/**
 * Visits the records of one stream with fromMs <= time < toMs and time < nowMs (whole
 * milliseconds): synthetic series first, then each explicit record as a series of its own.
 */
export function visitRecords<S extends Stream>(
  account: WorldAccount,
  stream: S,
  fromMs: number,
  toMs: number,
  nowMs: number,
  visitor: SeriesVisitor<RecordOfStream[S]>,
): void {
  const end = Math.min(toMs, nowMs)
  if (account.synthetic) {
    const fromHour = Math.ceil(fromMs / HOUR_MS)
    const toHour = Math.min(Math.ceil(end / HOUR_MS), Math.floor(nowMs / HOUR_MS))
    if (fromHour < toHour) GENERATORS[stream](account.synthetic, fromHour, toHour, visitor)
  }
  const explicit = account.records[stream]
  for (let i = lowerBound(explicit, fromMs); i < explicit.length; i++) {
    const r = explicit[i] as RecordOfStream[S]
    if (r.time >= end) break
    if (visitor.begin(r)) visitor.add(r.time, measuresOf(r))
  }
}

/** The records of one stream in a window, as objects (for exports and small windows). */
export function recordsIn<S extends Stream>(account: WorldAccount, stream: S, fromMs: number, toMs: number, nowMs: number): RecordOfStream[S][] {
  const out: RecordOfStream[S][] = []
  let template: RecordOfStream[S]
  visitRecords(account, stream, fromMs, toMs, nowMs, {
    begin: t => {
      template = t
      return true
    },
    add: (time, m) => out.push(recordAt(template, time, m)),
  })
  return out
}

/**
 * What of a window exists at `now`, as a key: two clocks with the same key see exactly the
 * same records of [fromMs, toMs). Past the window's end nothing changes any more; inside it,
 * synthetic data changes once an hour and explicit data record by record.
 */
export function existenceKey(account: WorldAccount, fromMs: number, toMs: number, nowMs: number): string {
  if (nowMs >= toMs) return 'all'
  if (nowMs <= fromMs) return 'none'
  const explicit = account.records
  const seen = lowerBound(explicit.serverless, nowMs) + lowerBound(explicit.dedicated, nowMs) + lowerBound(explicit.training, nowMs)
  return `${Math.floor(nowMs / HOUR_MS)}:${seen}`
}
