// Reading an account once: per window of at most 31 days, each stream's billingUsage in UTC
// daily buckets grouped by every dimension of the stream, then accountUsageFilterOptions where
// the target serves it, to check that the captured rows carry every value it lists. Progress
// (days done, requests sent, time left) goes to `say` after each window.

import type { ProbeClient } from '../conformance/client.js'
import { DAY_MS } from '../time.js'
import { MAX_WINDOW_MS } from '../usage/window.js'
import { getJson, groupedReader, windowQuery, type Window } from './grouping.js'
import type { Part, StreamCapture } from './rows.js'

export interface CaptureOptions {
  client: ProbeClient
  account: string
  /** [startMs, endMs): the instants captured; endMs is at most now. */
  window: Window
  streams: readonly StreamCapture[]
  clock: () => number
  /** One line of progress or a note, for stderr. */
  say: (line: string) => void
}

export interface Captured {
  /** The rows read, by stream kind, grouped by every dimension the target allowed. */
  parts: Map<string, Part[]>
  /** What the fixtures will not reproduce. */
  losses: string[]
  days: number
}

/** The UTC days [startMs, endMs) touches. */
export function utcDays(window: Window): number {
  return Math.ceil(window.endMs / DAY_MS) - Math.floor(window.startMs / DAY_MS)
}

/** [start, end) in consecutive windows of at most 31 days (the API's limit [real]). */
export function windowsOf(window: Window): Window[] {
  const out: Window[] = []
  for (let s = window.startMs; s < window.endMs; s += MAX_WINDOW_MS)
    out.push({ startMs: s, endMs: Math.min(s + MAX_WINDOW_MS, window.endMs) })
  return out
}

function duration(ms: number): string {
  const s = Math.ceil(ms / 1000)
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`
}

export async function captureAccount(options: CaptureOptions): Promise<Captured> {
  const { client, account, streams, clock, say } = options
  const losses: string[] = []
  const once = new Set<string>()
  const said = {
    note: (text: string) => {
      if (!once.has(text)) say(`capture: ${text}`)
      once.add(text)
    },
    loss: (text: string) => {
      if (!once.has(text)) {
        say(`capture: not reproduced: ${text}`)
        losses.push(text)
      }
      once.add(text)
    },
  }
  const reader = groupedReader(client, account, said)
  const parts = new Map(streams.map(c => [c.spec.kind, [] as Part[]]))
  const listed = new Map<string, Map<string, Set<string>>>()
  let optionsServed = true
  const days = utcDays(options.window)
  const started = clock()
  for (const window of windowsOf(options.window)) {
    for (const capture of streams) {
      const rows = await reader.rows(capture, window, Object.keys(capture.spec.dimensions))
      parts.get(capture.spec.kind)?.push(...rows)
    }
    if (optionsServed) optionsServed = await readFilterOptions(window)
    const done = utcDays({ startMs: options.window.startMs, endMs: window.endMs })
    const left = done < days ? `, about ${duration(((clock() - started) / done) * (days - done))} left` : ''
    say(`capture: ${done} of ${days} days, ${client.sent} requests${left}`)
  }

  async function readFilterOptions(window: Window): Promise<boolean> {
    const answer = await getJson(client, account, 'accountUsageFilterOptions', windowQuery(window))
    const body = answer.json as Record<string, Record<string, unknown>> | undefined
    if (answer.status !== 200 || typeof body !== 'object' || body === null) {
      said.note(
        `accountUsageFilterOptions not served (${answer.status}): the captured values are not checked against it`,
      )
      return false
    }
    for (const capture of streams) {
      const kind = capture.spec.kind
      for (const [dim, values] of Object.entries(body[kind] ?? {})) {
        if (!Array.isArray(values)) continue
        if (!listed.has(kind)) listed.set(kind, new Map())
        const set = listed.get(kind)!.get(dim) ?? new Set<string>()
        for (const v of values) if (typeof v === 'string') set.add(v)
        listed.get(kind)!.set(dim, set)
      }
    }
    return true
  }

  for (const capture of streams) {
    const kind = capture.spec.kind
    const all = Object.keys(capture.spec.dimensions)
    const rows = parts.get(kind) ?? []
    const unjoined = all.filter(d => !reader.dropped.has(`${kind} ${d}`) && rows.some(p => !(d in p.values)))
    if (unjoined.length > 0) {
      const n = rows.filter(p => unjoined.some(d => !(d in p.values))).length
      said.loss(
        `${n} ${kind} rows could not be joined on ${unjoined.join(', ')} (several values for one ${capture.identity.join(', ')} on a day): their records carry none`,
      )
    }
    for (const [dim, values] of listed.get(kind) ?? []) {
      if (reader.dropped.has(`${kind} ${dim}`)) continue
      const carried = new Set(rows.filter(p => dim in p.values).map(p => p.values[dim] as string))
      const missing = [...values].filter(v => !carried.has(v)).sort()
      if (missing.length > 0)
        said.loss(
          `accountUsageFilterOptions lists ${missing.length} ${kind} ${dim} value(s) no captured row carries: ${missing
            .slice(0, 3)
            .map(v => JSON.stringify(v))
            .join(', ')}${missing.length > 3 ? ', ...' : ''}`,
        )
    }
  }
  return { parts, losses, days }
}
