// Reading one stream's rows of one window, grouped by every dimension of the stream, in as few
// requests as the target accepts. A target may refuse a grouping (400: too many dimensions, or
// one it does not know): the grouping is then split in two, each half keeping the stream's
// identity dimensions, and the halves' rows are joined on those. The join is exact where one
// half has a single row per series and day (a key's team is the key's), and said otherwise. A
// refusal is remembered, so later windows go straight to the split.

import { RequestNotAnswered, type ProbeClient } from '../conformance/client.js'
import { formatUtc } from '../time.js'
import { readRow, type Part, type Row, type StreamCapture } from './rows.js'

/** The capture cannot go on: nothing is written. */
export class CaptureFailed extends Error {}

export interface Window {
  startMs: number
  endMs: number
}

export interface Said {
  /** Something worth knowing (a split grouping); said once. */
  note(text: string): void
  /** Something the fixtures will not reproduce; said once, and repeated in the summary. */
  loss(text: string): void
}

export type Query = readonly (readonly [string, string])[]

/** GET a path of the account with the user's key: the answer of a 200, or a CaptureFailed. */
export async function getJson(
  client: ProbeClient,
  account: string,
  operation: string,
  query: Query,
): Promise<{ status: number; json: unknown; message: string; line: string }> {
  const line = `/v1/accounts/${encodeURIComponent(account)}/${operation}?${new URLSearchParams(query as [string, string][])}`
  try {
    const answer = await client.get(line, 'key')
    const message = (answer.json as { message?: unknown } | undefined)?.message
    return {
      status: answer.status,
      json: answer.json,
      message: typeof message === 'string' ? message : answer.text.slice(0, 200),
      line: `GET ${line}`,
    }
  } catch (err) {
    if (err instanceof RequestNotAnswered) throw new CaptureFailed(err.message)
    throw err
  }
}

export function windowQuery(window: Window): Query {
  return [
    ['startTime', formatUtc(window.startMs)],
    ['endTime', formatUtc(window.endMs)],
  ]
}

export interface GroupedReader {
  /** The rows of a stream in a window grouped by `dims`, split as the target requires. */
  rows(capture: StreamCapture, window: Window, dims: readonly string[]): Promise<Part[]>
  /** `<kind> <dimension>` of the dimensions the target refuses to group by at all. */
  readonly dropped: ReadonlySet<string>
}

export function groupedReader(client: ProbeClient, account: string, said: Said): GroupedReader {
  const refused = new Map<string, string>()
  const dropped = new Set<string>()

  async function rows(capture: StreamCapture, window: Window, dims: readonly string[]): Promise<Part[]> {
    return (await grouped(capture, window, dims)) ?? (await grouped(capture, window, capture.identity)) ?? []
  }

  /** The rows grouped by `dims`, split as needed; null when every dimension beyond the identity is refused. */
  async function grouped(capture: StreamCapture, window: Window, dims: readonly string[]): Promise<Part[] | null> {
    const { spec, identity } = capture
    const key = `${spec.kind} ${dims.join(',')}`
    if (!refused.has(key)) {
      const query: Query = [
        ...windowQuery(window),
        ['usageType', spec.usageType],
        ['timezone', 'UTC'],
        ...dims.map(d => ['groupBy', d] as const),
      ]
      const answer = await getJson(client, account, 'billingUsage', query)
      if (answer.status === 200) {
        const list = (answer.json as Record<string, unknown> | undefined)?.[spec.rowsField]
        // proto3 JSON may leave an empty array out.
        const rows = Array.isArray(list) ? (list as Row[]) : []
        return rows.map(row => readRow(capture, row, dims, window.startMs, window.endMs))
      }
      if (answer.status !== 400)
        throw new CaptureFailed(`the target answered ${answer.status} to ${answer.line}: ${answer.message}`)
      refused.set(key, answer.message)
      if (dims.length > identity.length + 1)
        said.note(
          `the target refused grouping ${spec.kind} by ${dims.join(', ')} (400: ${answer.message}); splitting the grouping`,
        )
    }
    const rest = dims.filter(d => !identity.includes(d))
    if (rest.length === 0)
      throw new CaptureFailed(`the target refuses grouping ${spec.kind} by ${dims.join(', ')}: ${refused.get(key)}`)
    if (rest.length === 1) {
      dropped.add(`${spec.kind} ${rest[0]}`)
      said.loss(
        `the target refuses grouping ${spec.kind} by ${rest[0]} with ${identity.join(', ')}: its records carry no ${rest[0]}`,
      )
      return null
    }
    const half = Math.ceil(rest.length / 2)
    const first = await grouped(capture, window, [...identity, ...rest.slice(0, half)])
    const second = await grouped(capture, window, [...identity, ...rest.slice(half)])
    return first && second ? join(capture, first, second) : (first ?? second)
  }
  return { rows, dropped }
}

/**
 * Rows of two groupings that share the identity dimensions, as rows of their union: a series'
 * rows of a day on one side take the values of its single row on the other. When both sides
 * have several rows for a series and day, their joint values are unknown: the side with more
 * rows is kept, without the other's values (its records carry "" for them).
 */
export function join(capture: StreamCapture, first: readonly Part[], second: readonly Part[]): Part[] {
  const keyOf = (p: Part) => [p.startMs, p.endMs, p.split, ...capture.identity.map(d => p.values[d])].join('\u0000')
  const sides = new Map<string, [Part[], Part[]]>()
  const side = (p: Part) => {
    let pair = sides.get(keyOf(p))
    if (!pair) sides.set(keyOf(p), (pair = [[], []]))
    return pair
  }
  for (const p of first) side(p)[0].push(p)
  for (const p of second) side(p)[1].push(p)
  const merged = (p: Part, other: Part): Part => ({
    ...p,
    values: { ...other.values, ...p.values },
    ...(p.problem || other.problem ? { problem: p.problem ?? other.problem } : {}),
  })
  const out: Part[] = []
  for (const [a, b] of sides.values()) {
    if (a.length > 0 && b.length === 1) out.push(...a.map(p => merged(p, b[0] as Part)))
    else if (b.length > 0 && a.length === 1) out.push(...b.map(p => merged(p, a[0] as Part)))
    else out.push(...(a.length >= b.length ? a : b))
  }
  return out
}
