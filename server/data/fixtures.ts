// Fixture files: the mock's own record format (contract section 6), as JSON or NDJSON. Pure
// parsing and validation (one entry at a time in fixture-entries.ts); the caller reads the
// files. Every problem is reported as `file:line: field: problem`, sorted by file and line; in a
// JSON array the line is followed by the element's index, `file:1 [3]: field: problem`, since
// several elements may start on one line (a body posted as `[{...}, {...}]`).

import { EntryProblems, show, toAccount, toRecord } from './fixture-entries.js'
import type { AccountDef, UsageRecord } from '../model/records.js'

export interface FixtureFile {
  /** The name used in error messages. */
  path: string
  text: string
  /** Default: from the name (*.ndjson is NDJSON, anything else JSON). */
  format?: 'json' | 'ndjson'
}

export interface ParsedFixtures {
  accounts: AccountDef[]
  records: UsageRecord[]
}

export class FixtureError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'))
    this.name = 'FixtureError'
  }
}

/**
 * The 1-based line on which each element of the entries array starts. `depth` is 1 for a bare
 * array and 2 for `{"accounts": [...]}`. JSON.parse keeps no positions, so this small scanner
 * walks the text once, skipping strings.
 */
export function elementLines(text: string, depth: number): number[] {
  const lines: number[] = []
  let line = 1
  let level = 0
  let inString = false
  let escaped = false
  let expecting = false
  for (const c of text) {
    if (c === '\n') line++
    if (inString) {
      if (escaped) escaped = false
      else if (c === '\\') escaped = true
      else if (c === '"') inString = false
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue
    if (level === depth && expecting && c !== ']') {
      lines.push(line)
      expecting = false
    }
    if (c === '"') inString = true
    else if (c === '[' || c === '{') {
      level++
      if (c === '[' && level === depth) expecting = true
    } else if (c === ']' || c === '}') level--
    else if (c === ',' && level === depth) expecting = true
  }
  return lines
}

function lineOfPosition(text: string, message: string): number {
  const m = /position (\d+)/.exec(message)
  if (!m) return 1
  return text.slice(0, Number(m[1])).split('\n').length
}

/** Where an entry is: its line, and its index when it is an element of a JSON array. */
interface Place {
  line: number
  index?: number
}

interface Entry extends Place {
  value: unknown
}

interface Problem extends Place {
  file: number
  text: string
}

const placeText = ({ line, index }: Place) => (index === undefined ? `${line}` : `${line} [${index}]`)

function entriesOf(file: FixtureFile, problem: (place: Place, text: string) => void): Entry[] {
  if ((file.format ?? (file.path.endsWith('.ndjson') ? 'ndjson' : 'json')) === 'ndjson') {
    const out: Entry[] = []
    file.text.split('\n').forEach((raw, i) => {
      if (raw.trim() === '') return
      try {
        out.push({ line: i + 1, value: JSON.parse(raw) })
      } catch (err) {
        problem({ line: i + 1 }, `json: ${(err as Error).message}`)
      }
    })
    return out
  }
  let doc: unknown
  try {
    doc = JSON.parse(file.text)
  } catch (err) {
    const message = (err as Error).message
    problem({ line: lineOfPosition(file.text, message) }, `json: ${message}`)
    return []
  }
  let items: unknown
  let depth = 1
  if (Array.isArray(doc)) items = doc
  else if (typeof doc === 'object' && doc !== null && Object.keys(doc).length === 1 && 'accounts' in doc) {
    items = doc.accounts
    depth = 2
  }
  if (!Array.isArray(items)) {
    problem({ line: 1 }, 'json: must be an array of entries or {"accounts": [...]}')
    return []
  }
  const lines = elementLines(file.text, depth)
  return (items as unknown[]).map((value, index) => ({ line: lines[index] ?? 1, index, value }))
}

/**
 * Parses fixture files. `knownAccounts` are the accounts defined elsewhere (the default world);
 * a record may name those or any account these files define.
 */
export function parseFixtures(
  files: FixtureFile[],
  knownAccounts: ReadonlySet<string> = new Set(),
  /** When set, every entry must be of this account (records posted to one account's path). */
  onlyAccount?: string,
): ParsedFixtures {
  const problems: Problem[] = []
  const accounts: AccountDef[] = []
  const records: UsageRecord[] = []
  const accountRefs: { file: number; place: Place; account: string }[] = []
  files.forEach((file, fileIndex) => {
    const problem = (place: Place, text: string) => problems.push({ file: fileIndex, ...place, text })
    for (const { value, ...place } of entriesOf(file, problem)) {
      try {
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          throw new EntryProblems([{ field: 'entry', text: `must be an object, got ${show(value)}` }])
        const entry = value as Record<string, unknown>
        // Checked once every file is read (a later file may define it), for bad records too.
        if ('kind' in entry && typeof entry.account === 'string')
          accountRefs.push({ file: fileIndex, place, account: entry.account })
        if (onlyAccount !== undefined && entry.account !== onlyAccount)
          throw new EntryProblems([
            {
              field: 'account',
              text: `must be ${show(onlyAccount)}, the account in the path, got ${show(entry.account)}`,
            },
          ])
        if ('kind' in entry) records.push(toRecord(entry))
        else if ('account' in entry) accounts.push(toAccount(entry))
        else
          throw new EntryProblems([
            { field: 'kind', text: 'is required for a record (an account entry has "account" and "keys")' },
          ])
      } catch (err) {
        if (!(err instanceof EntryProblems)) throw err
        for (const p of err.problems) problem(place, `${p.field}: ${p.text}`)
      }
    }
  })
  const defined = new Set([...knownAccounts, ...accounts.map(a => a.account)])
  for (const { file, place, account } of accountRefs)
    if (!defined.has(account))
      problems.push({ file, ...place, text: `account: no fixture file or world defines account ${show(account)}` })
  if (problems.length > 0) {
    problems.sort((a, b) => a.file - b.file || a.line - b.line || (a.index ?? -1) - (b.index ?? -1))
    throw new FixtureError(problems.map(p => `${(files[p.file] as FixtureFile).path}:${placeText(p)}: ${p.text}`))
  }
  return { accounts, records }
}
