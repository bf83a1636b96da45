// Finding data to probe with. The target's data is unknown, so one pass over the look-back
// period (in windows of at most 31 days, default grouping, UTC) notes which UTC days have rows
// in which stream; the probes' windows are then placed on days with usage. The day in progress
// and the one before are left out: usage may still be arriving there, and two requests a few
// seconds apart must see the same data.

import { DAY_MS, formatUtc, HOUR_MS } from '../time.js'
import { MAX_WINDOW_MS } from '../usage/window.js'
import { RequestNotAnswered } from './client.js'
import { DOCUMENT, documentProblems } from './document-body.js'
import { localDays, type LocalDay, type Span } from './local-days.js'
import { describeAnswer, type Session } from './probe.js'
import { DIMENSIONS, rowsOf, STREAMS, USAGE_TYPE_OF, type Stream } from './usage-body.js'

export interface Plan {
  nowMs: number
  /** The look-back period: [fromMs, toMs), whole UTC days. */
  lookBack: Span
  /** UTC midnights of the days with rows, per stream. */
  daysWithData: Record<Stream, Set<number>>
  /** D, the first day of the 3-day windows; null when the look-back period has no usage. */
  anchorDayMs: number | null
  /** The latest America/Los_Angeles day of 23 or 25 hours in the look-back period, if any. */
  dstDay: LocalDay | null
}

/**
 * The discovery request got no usable answer: the run cannot go on (a bad key, account or URL, no
 * connection, or usage that cannot be read). Its message is one sentence.
 */
export class CannotProbe extends Error {}

export const DST_ZONE = 'America/Los_Angeles'
/** Windows start at 06:00Z: not a local midnight in any probed zone, so every bucket gets clipped. */
const WINDOW_OFFSET_MS = 6 * HOUR_MS

export const param = (name: string, value: string) => [name, value] as const
export function windowParams(span: Span): [readonly [string, string], readonly [string, string]] {
  return [param('startTime', formatUtc(span.startMs)), param('endTime', formatUtc(span.endMs))]
}

export async function discover(session: Session, nowMs: number, days: number): Promise<Plan> {
  const toMs = Math.floor(nowMs / DAY_MS) * DAY_MS - DAY_MS
  const fromMs = toMs - days * DAY_MS
  const daysWithData: Record<Stream, Set<number>> = { serverless: new Set(), dedicated: new Set(), training: new Set() }
  for (let start = fromMs; start < toMs; start += MAX_WINDOW_MS) {
    const span = { startMs: start, endMs: Math.min(start + MAX_WINDOW_MS, toMs) }
    const outcome = await session.request('billingUsage', windowParams(span)).catch((err: Error) => {
      throw err instanceof RequestNotAnswered ? new CannotProbe(err.message) : err
    })
    if (!('exchange' in outcome)) throw new CannotProbe(`${outcome.failure.message} to ${outcome.line}`)
    const { exchange } = outcome
    const { status, json } = exchange.answer
    if (status !== 200)
      throw new CannotProbe(`the target answered ${describeAnswer(exchange.answer)} to ${exchange.line}`)
    // Usage that cannot be read cannot be found: nothing to place the probes' windows on.
    const [problem] = documentProblems(exchange).violations
    if (problem !== undefined)
      throw new CannotProbe(`the answer to ${exchange.line} does not match ${DOCUMENT}: ${problem}`)
    for (const stream of STREAMS)
      for (const row of rowsOf(json, stream)) {
        const t = Date.parse(String(row.startTime))
        if (!Number.isNaN(t)) daysWithData[stream].add(Math.floor(t / DAY_MS) * DAY_MS)
      }
  }
  const lookBack = { startMs: fromMs, endMs: toMs }
  return {
    nowMs,
    lookBack,
    daysWithData,
    anchorDayMs: anchorDay(lookBack, daysWithData),
    dstDay: latestDstDay(lookBack),
  }
}

/** The latest D whose days D..D+3 have usage in the most streams (the 3-day windows reach into D+3). */
function anchorDay(lookBack: Span, daysWithData: Record<Stream, Set<number>>): number | null {
  let best: { day: number; score: number } | null = null
  for (let day = lookBack.endMs - 4 * DAY_MS; day >= lookBack.startMs; day -= DAY_MS) {
    const covered = (stream: Stream) => [0, 1, 2, 3].filter(i => daysWithData[stream].has(day + i * DAY_MS)).length
    // Streams with usage on all four days count most; any usage at all breaks ties.
    const score = STREAMS.reduce((s, stream) => s + (covered(stream) === 4 ? 10 : covered(stream)), 0)
    if (score > 0 && (!best || score > best.score)) best = { day, score }
  }
  return best?.day ?? null
}

function latestDstDay(lookBack: Span): LocalDay | null {
  const days = localDays(DST_ZONE, lookBack.startMs, lookBack.endMs).filter(d => d.endMs - d.startMs !== DAY_MS)
  return days.at(-1) ?? null
}

// The windows every probe family shares (the same window means the same request, sent once).

/** [D+6h, D+3d+6h): three days, clipped buckets at both ends in every zone probed. */
export function zoneWindow(anchorDayMs: number): Span {
  return { startMs: anchorDayMs + WINDOW_OFFSET_MS, endMs: anchorDayMs + 3 * DAY_MS + WINDOW_OFFSET_MS }
}

/** A window of three days around the daylight-saving change, or why there is none. */
export function dstWindow(plan: Plan): Span | string {
  const range = `${formatUtc(plan.lookBack.startMs)} and ${formatUtc(plan.lookBack.endMs)}`
  if (!plan.dstDay) return `${DST_ZONE} has no daylight-saving change between ${range} (a larger --days reaches one)`
  const day = plan.dstDay
  const utcDay = Math.floor((day.startMs + DAY_MS / 2) / DAY_MS) * DAY_MS
  const span = { startMs: utcDay - DAY_MS + WINDOW_OFFSET_MS, endMs: utcDay + 2 * DAY_MS + WINDOW_OFFSET_MS }
  if (span.startMs < plan.lookBack.startMs || span.endMs > plan.lookBack.endMs)
    return `the daylight-saving change of ${day.date} is too close to the edge of the look-back period (${range})`
  const withData = STREAMS.some(s => [0, 1, 2, 3].some(i => plan.daysWithData[s].has(utcDay + (i - 1) * DAY_MS)))
  if (!withData) return `no usage around the daylight-saving change of ${day.date} in ${DST_ZONE}`
  return span
}

/** [D+1d, D+2d): one whole UTC day with usage. */
export function dayWindow(anchorDayMs: number): Span {
  return { startMs: anchorDayMs + DAY_MS, endMs: anchorDayMs + 2 * DAY_MS }
}

/** A stream's rows grouped by all its dimensions: the filter and filter-option probes share it. */
export const allDimensionsParams = (span: Span, stream: Stream) => [
  ...windowParams(span),
  param('timezone', 'UTC'),
  param('usageType', USAGE_TYPE_OF[stream]),
  ...DIMENSIONS[stream].map(d => param('groupBy', d)),
]

/** A window for requests whose data does not matter (the errors). */
export function quietWindow(plan: Plan): Span {
  return plan.anchorDayMs === null
    ? { startMs: plan.lookBack.endMs - DAY_MS, endMs: plan.lookBack.endMs }
    : dayWindow(plan.anchorDayMs)
}

export const NO_USAGE = (plan: Plan) =>
  `no usage found between ${formatUtc(plan.lookBack.startMs)} and ${formatUtc(plan.lookBack.endMs)} (try a larger --days)`
