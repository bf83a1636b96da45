// Fixture files: the mock's own record format (contract section 6). Pure parsing and validation;
// the caller reads the files. Every problem is reported as `file:line: field: problem`.

import { parseRfc3339, type Instant } from '../time.js'
import { rateServerless } from './prices.js'
import {
  ANNOTATION_KEYS,
  DEDICATED_USAGE_TYPES,
  JOB_TYPES,
  SERVERLESS_USAGE_TYPES,
  TRAINING_USAGE_TYPES,
  type AccountDef,
  type Annotations,
  type KeyDef,
  type UsageRecord,
} from './records.js'
import { own } from '../own.js'

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

/** Account ids are slugs, as in `accounts/my-account` [contract 5]. */
export const ACCOUNT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

type FieldType = 'string' | 'count' | 'seconds' | 'annotations' | readonly string[]

const COMMON: Record<string, FieldType> = { kind: 'string', account: 'string', time: 'string', annotations: 'annotations' }
const RECORD_FIELDS: Record<string, Record<string, FieldType>> = {
  serverless: {
    ...COMMON,
    model: 'string',
    apiKeyId: 'string',
    apiKeyName: 'string',
    usageType: SERVERLESS_USAGE_TYPES,
    promptTokens: 'count',
    cachedPromptTokens: 'count',
    completionTokens: 'count',
    audioInputSeconds: 'seconds',
    costNanoUsd: 'count',
  },
  dedicated: {
    ...COMMON,
    deployment: 'string',
    acceleratorType: 'string',
    acceleratorSeconds: 'count',
    baseModel: 'string',
    placement: 'string',
    usageType: DEDICATED_USAGE_TYPES,
  },
  training: {
    ...COMMON,
    jobId: 'string',
    jobType: JOB_TYPES,
    usageType: TRAINING_USAGE_TYPES,
    tokens: 'count',
    acceleratorType: 'string',
    acceleratorSeconds: 'count',
    baseModel: 'string',
    trainingSessionId: 'string',
  },
}

/** Every problem of one entry, each under the field it is about; an entry reports them all. */
class EntryProblems extends Error {
  constructor(readonly problems: readonly { field: string; text: string }[]) {
    super(problems.map(p => `${p.field}: ${p.text}`).join('; '))
  }
}

/** Collects the problems of one entry; `done()` throws them together, if any. */
class Findings {
  readonly list: { field: string; text: string }[] = []
  add(field: string, text: string): void {
    this.list.push({ field, text })
  }
  has(field: string): boolean {
    return this.list.some(p => p.field === field)
  }
  done(): void {
    if (this.list.length > 0) throw new EntryProblems(this.list)
  }
}

const show = (v: unknown) => JSON.stringify(v) ?? String(v)

function checkField(found: Findings, field: string, type: FieldType, value: unknown): void {
  const fail = (what: string) => found.add(field, `must be ${what}, got ${show(value)}`)
  if (Array.isArray(type)) {
    // '' is the same as an omitted field: the default, or unknown.
    if (typeof value !== 'string' || (value !== '' && !type.includes(value))) fail(`one of ${type.join(', ')}`)
  } else if (type === 'string') {
    if (typeof value !== 'string') fail('a string')
  } else if (type === 'count') {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail('a non-negative integer')
  } else if (type === 'seconds') {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail('a non-negative number')
  } else if (type === 'annotations') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('an object')
    for (const [k, v] of Object.entries(value as object)) {
      if (!(ANNOTATION_KEYS as readonly string[]).includes(k))
        found.add(`annotations.${k}`, `unknown annotation key (allowed: ${ANNOTATION_KEYS.join(', ')})`)
      else if (typeof v !== 'string') found.add(`annotations.${k}`, `must be a string, got ${show(v)}`)
    }
  }
}

function toAnnotations(value: unknown): Annotations {
  const a = (value ?? {}) as Partial<Annotations>
  return { team: a.team ?? '', project: a.project ?? '', environment: a.environment ?? '' }
}

const KEY_FIELDS = ['id', 'name', 'secret']

function toAccount(entry: Record<string, unknown>): AccountDef {
  const found = new Findings()
  for (const field of Object.keys(entry)) if (field !== 'account' && field !== 'keys') found.add(field, 'unknown field')
  const account = entry.account
  if (typeof account !== 'string' || !ACCOUNT_ID.test(account))
    found.add('account', `must be an account id slug like "my-account", got ${show(account)}`)
  const keys = entry.keys ?? []
  if (!Array.isArray(keys)) found.add('keys', `must be an array, got ${show(keys)}`)
  else
    keys.forEach((key: unknown, i) => {
      if (typeof key !== 'object' || key === null || Array.isArray(key)) return found.add(`keys[${i}]`, `must be an object, got ${show(key)}`)
      for (const field of Object.keys(key)) if (!KEY_FIELDS.includes(field)) found.add(`keys[${i}].${field}`, 'unknown field')
      const k = key as Record<string, unknown>
      for (const field of KEY_FIELDS)
        if (typeof k[field] !== 'string' || k[field] === '') found.add(`keys[${i}].${field}`, `must be a non-empty string, got ${show(k[field])}`)
    })
  found.done()
  return { account: account as string, keys: (keys as Record<string, string>[]).map(k => ({ id: k.id as string, name: k.name as string, secret: k.secret as string })) }
}

function toRecord(entry: Record<string, unknown>): UsageRecord {
  const found = new Findings()
  const fields = typeof entry.kind === 'string' ? own(RECORD_FIELDS, entry.kind) : undefined
  if (!fields) {
    found.add('kind', `must be one of serverless, dedicated, training, got ${show(entry.kind)}`)
    found.done()
  }
  // Problems in the order the entry's fields come, then missing fields, then cross-field rules.
  const time = typeof entry.time === 'string' ? parseRfc3339(entry.time) : null
  for (const [field, value] of Object.entries(entry)) {
    const type = own(fields as Record<string, FieldType>, field)
    if (!type) found.add(field, 'unknown field')
    else checkField(found, field, type, value)
    if (field === 'time' && !found.has('time')) {
      if (!time) found.add('time', `must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got ${show(value)}`)
      else if (time.subNs !== 0) found.add('time', 'must not be more precise than a millisecond')
    }
  }
  for (const field of ['account', 'time']) if (entry[field] === undefined) found.add(field, 'is required')
  const e = entry as Record<string, never>
  const str = (f: string): string => e[f] ?? ''
  const num = (f: string): number => e[f] ?? 0
  if (entry.kind === 'serverless' && !found.has('promptTokens') && !found.has('cachedPromptTokens') && num('cachedPromptTokens') > num('promptTokens'))
    found.add('cachedPromptTokens', `must not exceed promptTokens (${num('promptTokens')}), got ${num('cachedPromptTokens')}`)
  found.done()
  const base = { account: str('account'), time: (time as Instant).ms, annotations: toAnnotations(entry.annotations) }
  switch (entry.kind) {
    case 'serverless': {
      const r = {
        kind: 'serverless' as const,
        ...base,
        model: str('model'),
        apiKeyId: str('apiKeyId'),
        apiKeyName: str('apiKeyName'),
        usageType: str('usageType') || 'TEXT_COMPLETION_INFERENCE_USAGE',
        promptTokens: num('promptTokens'),
        cachedPromptTokens: num('cachedPromptTokens'),
        completionTokens: num('completionTokens'),
        audioInputSeconds: num('audioInputSeconds'),
      }
      const cost =
        entry.costNanoUsd !== undefined
          ? num('costNanoUsd')
          : rateServerless(r.model, r.promptTokens, r.cachedPromptTokens, r.completionTokens, r.audioInputSeconds)
      if (!Number.isSafeInteger(cost))
        throw new EntryProblems([{ field: 'costNanoUsd', text: `the rated cost (${cost}) exceeds 2^53 nano-USD; give costNanoUsd explicitly` }])
      return { ...r, costNanoUsd: cost }
    }
    case 'dedicated':
      return {
        kind: 'dedicated',
        ...base,
        deployment: str('deployment'),
        acceleratorType: str('acceleratorType'),
        acceleratorSeconds: num('acceleratorSeconds'),
        baseModel: str('baseModel'),
        placement: str('placement'),
        usageType: str('usageType') || 'DEDICATED_DEPLOYMENT_USAGE',
      }
    default:
      return {
        kind: 'training',
        ...base,
        jobId: str('jobId'),
        jobType: str('jobType'),
        usageType: str('usageType') || 'TRAINING_TOKENS',
        tokens: num('tokens'),
        acceleratorType: str('acceleratorType'),
        acceleratorSeconds: num('acceleratorSeconds'),
        baseModel: str('baseModel'),
        trainingSessionId: str('trainingSessionId'),
      }
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

interface Entry {
  line: number
  value: unknown
}

interface Problem {
  file: number
  line: number
  text: string
}

function entriesOf(file: FixtureFile, problem: (line: number, text: string) => void): Entry[] {
  if ((file.format ?? (file.path.endsWith('.ndjson') ? 'ndjson' : 'json')) === 'ndjson') {
    const out: Entry[] = []
    file.text.split('\n').forEach((raw, i) => {
      if (raw.trim() === '') return
      try {
        out.push({ line: i + 1, value: JSON.parse(raw) })
      } catch (err) {
        problem(i + 1, `json: ${(err as Error).message}`)
      }
    })
    return out
  }
  let doc: unknown
  try {
    doc = JSON.parse(file.text)
  } catch (err) {
    const message = (err as Error).message
    problem(lineOfPosition(file.text, message), `json: ${message}`)
    return []
  }
  let items: unknown
  let depth = 1
  if (Array.isArray(doc)) items = doc
  else if (typeof doc === 'object' && doc !== null && Object.keys(doc).length === 1 && 'accounts' in doc) {
    items = (doc as { accounts: unknown }).accounts
    depth = 2
  }
  if (!Array.isArray(items)) {
    problem(1, 'json: must be an array of entries or {"accounts": [...]}')
    return []
  }
  const lines = elementLines(file.text, depth)
  return items.map((value, i) => ({ line: lines[i] ?? 1, value }))
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
  const accountRefs: { file: number; line: number; account: string }[] = []
  files.forEach((file, fileIndex) => {
    const problem = (line: number, text: string) => problems.push({ file: fileIndex, line, text })
    for (const { line, value } of entriesOf(file, problem)) {
      try {
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          throw new EntryProblems([{ field: 'entry', text: `must be an object, got ${show(value)}` }])
        const entry = value as Record<string, unknown>
        // Checked once every file is read (a later file may define it), for bad records too.
        if ('kind' in entry && typeof entry.account === 'string') accountRefs.push({ file: fileIndex, line, account: entry.account })
        if (onlyAccount !== undefined && entry.account !== onlyAccount)
          throw new EntryProblems([{ field: 'account', text: `must be ${show(onlyAccount)}, the account in the path, got ${show(entry.account)}` }])
        if ('kind' in entry) records.push(toRecord(entry))
        else if ('account' in entry) accounts.push(toAccount(entry))
        else throw new EntryProblems([{ field: 'kind', text: 'is required for a record (an account entry has "account" and "keys")' }])
      } catch (err) {
        if (!(err instanceof EntryProblems)) throw err
        for (const p of err.problems) problem(line, `${p.field}: ${p.text}`)
      }
    }
  })
  const defined = new Set([...knownAccounts, ...accounts.map(a => a.account)])
  for (const { file, line, account } of accountRefs)
    if (!defined.has(account)) problems.push({ file, line, text: `account: no fixture file or world defines account ${show(account)}` })
  if (problems.length > 0) {
    problems.sort((a, b) => a.file - b.file || a.line - b.line)
    throw new FixtureError(problems.map(p => `${(files[p.file] as FixtureFile).path}:${p.line}: ${p.text}`))
  }
  return { accounts, records }
}
