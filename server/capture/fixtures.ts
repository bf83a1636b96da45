// The fixture files of a capture (README "Fixtures", contract section 6): `account.json` (the
// account and its keys: the ids and names serverless rows carry, a generated secret each) and one
// `<stream>.ndjson` per stream captured, the records of each row spread over its hours. The
// account may be renamed (`--as`): its resource names (`accounts/<id>/...`) follow.

import { randomBytes } from 'node:crypto'
import type { KeyDef } from '../model/records.js'
import { CAPTURES, toEntries, type Part, type StreamCapture } from './rows.js'
import { REDACTED_DIMENSIONS, type Pseudonyms } from './redact.js'

export interface FixtureOptions {
  /** The account id captured, and the id in the fixtures. */
  account: string
  as: string
  pseudonyms: Pseudonyms | null
  /** A new key secret. */
  secret?: () => string
}

export interface Fixtures {
  files: { name: string; text: string }[]
  keys: KeyDef[]
  records: Map<string, number>
  /** Rows that could not become records, values the fixtures do not accept. */
  losses: string[]
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const randomText = (n: number) => [...randomBytes(n)].map(b => ALPHABET[b % ALPHABET.length]).join('')
/** [real] keys look like fw_ followed by letters and digits. */
export const newSecret = () => `fw_${randomText(24)}`

export function buildFixtures(parts: ReadonlyMap<string, readonly Part[]>, options: FixtureOptions): Fixtures {
  const { account, as, pseudonyms } = options
  const prefix = `accounts/${account}/`
  const renamed = (v: string) =>
    as !== account && v.startsWith(prefix) ? `accounts/${as}/${v.slice(prefix.length)}` : v
  if (pseudonyms)
    for (const dim of REDACTED_DIMENSIONS)
      pseudonyms.assign(
        dim,
        [...parts.values()].flatMap(list => list.map(p => p.values[dim] ?? '')),
        as,
      )
  const valueOf = (dim: string, v: string) => {
    const pseudonym = pseudonyms?.of(dim, v) ?? v
    return pseudonym !== v ? pseudonym : renamed(v)
  }
  const rename = (p: Part): Part => ({
    ...p,
    values: Object.fromEntries(Object.entries(p.values).map(([d, v]) => [d, valueOf(d, v)])),
    attributes: Object.fromEntries(Object.entries(p.attributes).map(([f, v]) => [f, renamed(v)])),
  })

  const losses: string[] = []
  const records = new Map<string, number>()
  const files: Fixtures['files'] = []
  const keys = new Map<string, string>()
  for (const capture of CAPTURES) {
    const list = parts.get(capture.spec.kind)
    if (!list) continue
    const sorted = list.map(rename).sort(byRow(capture))
    const lines: string[] = []
    const skipped: string[] = []
    const unknown = new Map<string, number>()
    for (const part of sorted) {
      const { entries, unknown: odd, problem } = toEntries(capture, part, as)
      if (problem) skipped.push(problem)
      for (const { field, value } of odd) {
        const k = `${field} ${JSON.stringify(value)}`
        unknown.set(k, (unknown.get(k) ?? 0) + 1)
      }
      for (const e of entries) lines.push(JSON.stringify(e))
      const id = part.values.api_key_id
      if (!problem && id) keys.set(id, part.values.api_key_name || id)
    }
    const kind = capture.spec.kind
    if (skipped.length > 0) losses.push(`${skipped.length} ${kind} rows left out: ${skipped[0]}`)
    for (const [k, n] of unknown)
      losses.push(`${n} ${kind} rows with ${k}, which the mock does not know: recorded with the default`)
    records.set(kind, lines.length)
    files.push({ name: `${kind}.ndjson`, text: lines.length > 0 ? `${lines.join('\n')}\n` : '' })
  }

  const secret = options.secret ?? newSecret
  const keyDefs: KeyDef[] = [...keys]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, name]) => ({ id, name, secret: secret() }))
  // An account is reached with a key: one without serverless usage gets one of its own.
  if (keyDefs.length === 0) keyDefs.push({ id: `key_${randomText(16)}`, name: 'captured', secret: secret() })
  const keyLines = keyDefs.map(k => `    ${JSON.stringify(k)}`).join(',\n')
  files.unshift({
    name: 'account.json',
    text: `[\n  {"account": ${JSON.stringify(as)}, "keys": [\n${keyLines}\n  ]}\n]\n`,
  })
  return { files, keys: keyDefs, records, losses }
}

/** Rows in time order, then by their values in dimension order: the same data, the same bytes. */
function byRow(capture: StreamCapture): (a: Part, b: Part) => number {
  const dims = Object.keys(capture.spec.dimensions)
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0)
  return (a, b) =>
    a.startMs - b.startMs ||
    cmp(a.split, b.split) ||
    dims.reduce((r, d) => r || cmp(a.values[d] ?? '', b.values[d] ?? ''), 0)
}
