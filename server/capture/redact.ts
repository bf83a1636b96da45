// --redact: the names a team would rather not commit (key names, deployment names, team and
// project annotations) become stable pseudonyms: the same name always the same pseudonym,
// `key-3`, `team-1`, ..., numbered in the names' sorted order. The mapping is kept in a file of
// its own, outside the fixtures folder (never a fixture), and read back by the next capture so
// that a name keeps its pseudonym and new names get the next numbers.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { own } from '../own.js'

/** The redacted dimensions and their pseudonyms' form (a deployment stays a resource name). */
const FORMS: Readonly<Record<string, (n: number, account: string) => string>> = {
  api_key_name: n => `key-${n}`,
  deployment_name: (n, account) => `accounts/${account}/deployments/deployment-${n}`,
  'annotations.team': n => `team-${n}`,
  'annotations.project': n => `project-${n}`,
}
export const REDACTED_DIMENSIONS = Object.keys(FORMS)

const NOTE =
  'fireworks-usage-mock capture --redact: real names and their pseudonyms. Not a fixture: keep it out of version control.'

/** dimension -> real name -> pseudonym */
export type Mapping = Record<string, Record<string, string>>

export class Pseudonyms {
  readonly mapping: Mapping
  constructor(mapping: Mapping = {}) {
    this.mapping = Object.fromEntries(REDACTED_DIMENSIONS.map(d => [d, { ...mapping[d] }]))
  }

  /** Gives the names without a pseudonym the next numbers of their dimension, in sorted order. */
  assign(dimension: string, names: Iterable<string>, account: string): void {
    const known = this.mapping[dimension]
    const form = FORMS[dimension]
    if (!known || !form) return
    let next = 1 + Math.max(0, ...Object.values(known).map(p => Number(/-(\d+)$/.exec(p)?.[1] ?? 0)))
    for (const name of [...new Set(names)].sort())
      if (name !== '' && !Object.hasOwn(known, name)) known[name] = form(next++, account)
  }

  /** The pseudonym of a value of a redacted dimension ('' stays ''), or the value itself. */
  of(dimension: string, value: string): string {
    const known = this.mapping[dimension]
    return (known && own(known, value)) ?? value
  }
}

/** The mapping a previous capture wrote, or none; a file that is not one is an error. */
export function readPseudonyms(path: string): Pseudonyms {
  if (!existsSync(path)) return new Pseudonyms()
  let doc: unknown
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`${path}: not a redaction map: ${(err as Error).message}`)
  }
  const ok =
    typeof doc === 'object' &&
    doc !== null &&
    !Array.isArray(doc) &&
    REDACTED_DIMENSIONS.every(d => {
      const m = (doc as Record<string, unknown>)[d]
      return (
        m === undefined ||
        (typeof m === 'object' &&
          m !== null &&
          !Array.isArray(m) &&
          Object.values(m).every(v => typeof v === 'string' && v !== ''))
      )
    })
  if (!ok) throw new Error(`${path}: not a redaction map (an object of ${REDACTED_DIMENSIONS.join(', ')})`)
  return new Pseudonyms(doc as Mapping)
}

/** Writes the mapping whole or not at all (a temporary file renamed into place). */
export function writePseudonyms(path: string, pseudonyms: Pseudonyms): void {
  const body: Record<string, unknown> = { note: NOTE, ...pseudonyms.mapping }
  writeFileSync(`${path}.tmp`, `${JSON.stringify(body, null, 2)}\n`)
  renameSync(`${path}.tmp`, path)
}
