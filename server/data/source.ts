// The one way the engine reads records: explicit fixture records plus synthetic hourly ones,
// limited to the window and to the past. Nothing exists at or after `now`; a synthetic hourly
// record exists once its hour has ended (usage is metered per hour and published when it closes).

import { HOUR_MS } from '../time.js'
import type { RecordOfStream, Stream } from './records.js'
import { syntheticDedicated, syntheticServerless, syntheticTraining } from './synthetic.js'
import type { WorldAccount } from './world.js'

const GENERATORS = {
  serverless: syntheticServerless,
  dedicated: syntheticDedicated,
  training: syntheticTraining,
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

/** Records of one stream with fromMs <= time < toMs and time < nowMs (whole milliseconds). */
export function recordsIn<S extends Stream>(
  account: WorldAccount,
  stream: S,
  fromMs: number,
  toMs: number,
  nowMs: number,
): RecordOfStream[S][] {
  const end = Math.min(toMs, nowMs)
  let out: RecordOfStream[S][] = []
  if (account.synthetic) {
    const fromHour = Math.ceil(fromMs / HOUR_MS)
    const toHour = Math.min(Math.ceil(end / HOUR_MS), Math.floor(nowMs / HOUR_MS))
    if (fromHour < toHour) out = GENERATORS[stream](account.synthetic, fromHour, toHour) as RecordOfStream[S][]
  }
  const explicit = account.records[stream]
  for (let i = lowerBound(explicit, fromMs); i < explicit.length; i++) {
    const r = explicit[i] as RecordOfStream[S]
    if (r.time >= end) break
    out.push(r)
  }
  return out
}
