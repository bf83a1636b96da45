// Emitting a plan's hourly records, series by series, for any range of hours: every record is a
// pure function of (seed, series, hour), so a window of any age costs the same. The amounts go
// into the stream's quantity order through its fill function (serverless.ts, ...), and serverless
// costs are rated by the stream's own rating function.

import { fillDedicated, type DedicatedRecord } from '../../streams/dedicated.js'
import { fillServerless, type ServerlessRecord } from '../../streams/serverless.js'
import type { SeriesVisitor, StreamSpec } from '../../model/stream.js'
import { fillTraining, type TrainingRecord } from '../../streams/training.js'
import { HOUR_MS } from '../../time.js'
import { mix, unit } from '../hash.js'
import type { UsageRecord } from '../../model/records.js'
import { MAX_JOB_HOURS } from './catalog.js'
import type { TrainingJob } from './jobs.js'
import {
  LOGNORMAL_10,
  LOGNORMAL_20,
  LOGNORMAL_25,
  LOGNORMAL_30,
  NORMAL,
  noiseIndex,
  rhythm,
  weekdayOf,
} from './noise.js'
import type { SyntheticAccount } from './plan.js'

/** Below this many expected tokens an hour, a series is idle in some hours rather than tiny in all. */
const SPARSE_TOKENS = 50_000

type Generator<R> = (acct: SyntheticAccount, fromHour: number, toHour: number, v: SeriesVisitor<R>) => void

/**
 * Serverless series over hours [fromHour, toHour). Each hourly record covers the hour that
 * starts at its time.
 */
export function visitServerless(
  acct: SyntheticAccount,
  fromHour: number,
  toHour: number,
  v: SeriesVisitor<ServerlessRecord>,
): void {
  const m: number[] = []
  for (const s of acct.serverless) {
    const first = Math.max(fromHour, s.key.createdHour)
    const last = Math.min(toHour, s.key.revokedHour)
    if (first >= last || !v.begin(s.template)) continue
    for (let h = first; h < last; h++) {
      let expected = s.peak * rhythm(h) * (LOGNORMAL_30[noiseIndex(s.seed, h, 1)] as number)
      if (expected < SPARSE_TOKENS) {
        if (unit(mix(s.seed, h)) * SPARSE_TOKENS >= expected) continue
        expected = SPARSE_TOKENS
      }
      const ratio = s.completionRatio * (LOGNORMAL_20[noiseIndex(s.seed, h, 2)] as number)
      let promptTokens = 0
      let cached = 0
      let completion: number
      let audio = 0
      if (s.audio) {
        audio = Math.round((expected / 200) * 1000) / 1000
        completion = Math.round(audio * 2.6)
      } else {
        promptTokens = Math.round(expected)
        const fraction = Math.min(
          0.95,
          Math.max(0, s.cachedFraction + 0.08 * (NORMAL[noiseIndex(s.seed, h, 3)] as number)),
        )
        cached = Math.round(promptTokens * fraction)
        completion = Math.round(promptTokens * ratio)
      }
      fillServerless(m, s.price, promptTokens, cached, completion, Math.round(audio * 1e6))
      v.add(h * HOUR_MS, m)
    }
  }
}

export function visitDedicated(
  acct: SyntheticAccount,
  fromHour: number,
  toHour: number,
  v: SeriesVisitor<DedicatedRecord>,
): void {
  const m: number[] = []
  for (const d of acct.deployments) {
    const first = Math.max(fromHour, d.createdHour)
    const last = Math.min(toHour, d.deletedHour)
    if (first >= last || !v.begin(d.template)) continue
    for (let h = first; h < last; h++) {
      let replicas = d.replicas
      if (d.pattern === 'autoscale') {
        const wanted = d.replicas * rhythm(h) * (LOGNORMAL_25[noiseIndex(d.seed, h, 1)] as number)
        replicas = Math.min(d.replicas, Math.max(1, Math.round(wanted)))
      } else if (d.pattern === 'business-hours') {
        const weekday = weekdayOf(h)
        if (weekday === 0 || weekday === 6 || h % 24 < 14) continue
      }
      fillDedicated(m, replicas * 3600)
      v.add(h * HOUR_MS, m)
    }
  }
  // [real] The inference deployment that serves an RFT job's rollouts is dedicated usage, not
  // training: it runs, on its own deployment, for as long as the job does.
  forEachJob(acct, fromHour, toHour, (job, first, last) => {
    if (!job.rollout || !v.begin(job.rollout.template)) return
    fillDedicated(m, job.rollout.replicas * 3600)
    for (let h = first; h < last; h++) v.add(h * HOUR_MS, m)
  })
}

/** Each training job that runs during [fromHour, toHour), with the hours of it inside. */
function forEachJob(
  acct: SyntheticAccount,
  fromHour: number,
  toHour: number,
  fn: (job: TrainingJob, first: number, last: number) => void,
): void {
  const period = acct.jobPeriodHours
  if (!Number.isFinite(period)) return
  const firstJob = Math.max(0, Math.floor((fromHour - acct.startHour - MAX_JOB_HOURS) / period) - 1)
  const lastJob = Math.floor((toHour - acct.startHour) / period)
  for (let k = firstJob; k <= lastJob; k++) {
    const job = acct.jobAt(k)
    const first = Math.max(fromHour, job.startHour)
    const last = Math.min(toHour, job.startHour + job.hours)
    if (first < last) fn(job, first, last)
  }
}

export function visitTraining(
  acct: SyntheticAccount,
  fromHour: number,
  toHour: number,
  v: SeriesVisitor<TrainingRecord>,
): void {
  const m: number[] = []
  forEachJob(acct, fromHour, toHour, (job, first, last) => {
    if (!v.begin(job.template)) return
    for (let h = first; h < last; h++) {
      const tokens =
        job.tokensPerHour > 0 ? Math.round(job.tokensPerHour * (LOGNORMAL_10[noiseIndex(job.seed, h, 1)] as number)) : 0
      fillTraining(m, tokens, job.accelerators * 3600)
      v.add(h * HOUR_MS, m)
    }
  })
}

const GENERATORS: Record<string, Generator<never>> = {
  serverless: visitServerless,
  dedicated: visitDedicated,
  training: visitTraining,
}

/**
 * The synthetic generator of a stream: a built-in stream's here, or the one a stream brings in
 * its own file (StreamSpec.synthetic), over the series it planned for the account when the world
 * was built. A stream without one has fixture records only.
 */
export function generatorOf<R extends UsageRecord>(spec: StreamSpec<R>): Generator<R> | undefined {
  const own = spec.synthetic
  if (own)
    return (acct, fromHour, toHour, v) => {
      // A stream registered after the world was built has no series in it.
      if (acct.planned.has(spec.kind)) own.visit(acct.planned.get(spec.kind), fromHour, toHour, v)
    }
  return Object.hasOwn(GENERATORS, spec.kind) ? GENERATORS[spec.kind] : undefined
}
