// One fixture entry (contract section 6): an account with its keys, or a usage record of a
// stream, whose fields and rules come from the stream's description. Every problem of an entry
// is reported, each under the field it is about, in the order of the entry's fields.

import { didYouMean } from '../did-you-mean.js'
import { own } from '../own.js'
import { allStreams, streamOf } from '../streams/registry.js'
import type { FieldType, StreamSpec } from '../model/stream.js'
import { parseRfc3339 } from '../time.js'
import {
  ANNOTATION_KEYS,
  ROLES,
  SUSPEND_STATES,
  type AccountDef,
  type AccountFields,
  type Annotations,
  type KeyDef,
  type UsageRecord,
} from '../model/records.js'

/** Account ids are slugs, as in `accounts/my-account` [contract 5]. */
export const ACCOUNT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

export interface EntryProblem {
  field: string
  text: string
}

/** Every problem of one entry; an entry reports them all. */
export class EntryProblems extends Error {
  constructor(readonly problems: readonly EntryProblem[]) {
    super(problems.map(p => `${p.field}: ${p.text}`).join('; '))
  }
}

/** Collects the problems of one entry; `done()` throws them together, if any. */
class Findings {
  readonly list: EntryProblem[] = []
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

export const show = (v: unknown) => JSON.stringify(v) ?? String(v)

function checkField(found: Findings, field: string, type: FieldType, value: unknown): void {
  const fail = (what: string) => found.add(field, `must be ${what}, got ${show(value)}`)
  if (typeof type === 'object') {
    // '' is the same as an omitted field: the default, or unknown.
    if (typeof value !== 'string' || (value !== '' && !type.oneOf.includes(value)))
      fail(`one of ${type.oneOf.join(', ')}`)
  } else if (type === 'string') {
    if (typeof value !== 'string') fail('a string')
  } else if (type === 'count') {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail('a non-negative integer')
  } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail('a non-negative number')
}

function checkAnnotations(found: Findings, value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return found.add('annotations', `must be an object, got ${show(value)}`)
  for (const [k, v] of Object.entries(value)) {
    if (!(ANNOTATION_KEYS as readonly string[]).includes(k))
      found.add(`annotations.${k}`, `unknown annotation key (allowed: ${ANNOTATION_KEYS.join(', ')})`)
    else if (typeof v !== 'string') found.add(`annotations.${k}`, `must be a string, got ${show(v)}`)
  }
}

function toAnnotations(value: unknown): Annotations {
  const a = (value ?? {}) as Partial<Annotations>
  return { team: a.team ?? '', project: a.project ?? '', environment: a.environment ?? '' }
}

const KEY_FIELDS = ['id', 'name', 'secret']
/** A key's optional fields: its user and that user's role [ours]. */
const KEY_USER_FIELDS = ['user', 'role']
/** The account resource's fields a fixture may set [ours, contract 2 section 1]. */
const RESOURCE_FIELDS = ['displayName', 'email', 'createTime', 'suspendState']
const ACCOUNT_FIELDS = ['account', 'keys', ...RESOURCE_FIELDS]
/** A user id, the last segment of `accounts/<acct>/users/<user>`: a slug like account ids. */
const USER_ID = ACCOUNT_ID

/** `unknown field`, with the known field it was probably meant to be (`promptToken`). */
const unknownField = (field: string, known: readonly string[]) => `unknown field${didYouMean(field, known)}`

export function toAccount(entry: Record<string, unknown>): AccountDef {
  const found = new Findings()
  for (const field of Object.keys(entry))
    if (!ACCOUNT_FIELDS.includes(field)) found.add(field, unknownField(field, ACCOUNT_FIELDS))
  const account = entry.account
  if (typeof account !== 'string' || !ACCOUNT_ID.test(account))
    found.add('account', `must be an account id slug like "my-account", got ${show(account)}`)
  const fields = accountFields(found, entry)
  // Omitted keys are none; null is a bad value like any other, not an omission.
  const keys = entry.keys === undefined ? [] : entry.keys
  if (!Array.isArray(keys)) found.add('keys', `must be an array, got ${show(keys)}`)
  else
    keys.forEach((key: unknown, i) => {
      if (typeof key !== 'object' || key === null || Array.isArray(key))
        return found.add(`keys[${i}]`, `must be an object, got ${show(key)}`)
      for (const field of Object.keys(key))
        if (!KEY_FIELDS.includes(field) && !KEY_USER_FIELDS.includes(field))
          found.add(`keys[${i}].${field}`, unknownField(field, [...KEY_FIELDS, ...KEY_USER_FIELDS]))
      const k = key as Record<string, unknown>
      for (const field of KEY_FIELDS)
        if (typeof k[field] !== 'string' || k[field] === '')
          found.add(`keys[${i}].${field}`, `must be a non-empty string, got ${show(k[field])}`)
      if (k.user !== undefined && (typeof k.user !== 'string' || !USER_ID.test(k.user)))
        found.add(`keys[${i}].user`, `must be a user id slug like "ada", got ${show(k.user)}`)
      if (k.role !== undefined && !(ROLES as readonly unknown[]).includes(k.role))
        found.add(`keys[${i}].role`, `must be one of ${ROLES.join(', ')}, got ${show(k.role)}`)
    })
  found.done()
  return {
    account: account as string,
    keys: (keys as Record<string, string>[]).map(k => {
      const def: KeyDef = { id: k.id as string, name: k.name as string, secret: k.secret as string }
      if (k.user !== undefined) def.user = k.user
      if (k.role !== undefined) def.role = k.role as KeyDef['role']
      return def
    }),
    ...(fields ? { fields } : {}),
  }
}

/** The account resource's fields an entry sets, checked; undefined when it sets none. */
function accountFields(found: Findings, entry: Record<string, unknown>): AccountFields | undefined {
  if (!RESOURCE_FIELDS.some(f => entry[f] !== undefined)) return undefined
  const fields: AccountFields = {}
  const { displayName, email, createTime, suspendState } = entry
  if (displayName !== undefined) {
    // [real] displayName is under 64 characters.
    if (typeof displayName !== 'string' || displayName.length >= 64)
      found.add('displayName', `must be a string of fewer than 64 characters, got ${show(displayName)}`)
    else fields.displayName = displayName
  }
  if (email !== undefined) {
    if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email))
      found.add('email', `must be an email address, got ${show(email)}`)
    else fields.email = email
  }
  if (createTime !== undefined) {
    const t = typeof createTime === 'string' ? parseRfc3339(createTime) : null
    if (!t) found.add('createTime', `must be an RFC 3339 timestamp like 2026-01-01T00:00:00Z, got ${show(createTime)}`)
    else fields.createTime = t.ms
  }
  if (suspendState !== undefined) {
    if (!(SUSPEND_STATES as readonly unknown[]).includes(suspendState))
      found.add('suspendState', `must be one of ${SUSPEND_STATES.join(', ')}, got ${show(suspendState)}`)
    else fields.suspendState = suspendState as AccountFields['suspendState']
  }
  return fields
}

const defaultOf = (type: FieldType): string | number =>
  typeof type === 'object' ? (type.default ?? '') : type === 'string' ? '' : 0

export function toRecord(entry: Record<string, unknown>): UsageRecord {
  const found = new Findings()
  const spec = typeof entry.kind === 'string' ? streamOf(entry.kind) : undefined
  if (!spec) {
    found.add(
      'kind',
      `must be one of ${allStreams()
        .map(s => s.kind)
        .join(', ')}, got ${show(entry.kind)}`,
    )
    found.done()
  }
  const { fields } = spec as StreamSpec
  // Problems in the order the entry's fields come, then missing fields, then cross-field rules.
  const time = typeof entry.time === 'string' ? parseRfc3339(entry.time) : null
  const settledAt = typeof entry.settledAt === 'string' ? parseRfc3339(entry.settledAt) : null
  for (const [field, value] of Object.entries(entry)) {
    if (field === 'kind') continue
    if (field === 'account' || field === 'time' || field === 'settledAt') checkField(found, field, 'string', value)
    else if (field === 'annotations') checkAnnotations(found, value)
    else {
      const type = own(fields, field)
      if (!type)
        found.add(field, unknownField(field, ['kind', 'account', 'time', ...Object.keys(fields), 'annotations']))
      else checkField(found, field, type, value)
    }
    const instant = field === 'time' ? time : field === 'settledAt' ? settledAt : undefined
    if (instant !== undefined && !found.has(field)) {
      if (!instant) found.add(field, `must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got ${show(value)}`)
      else if (instant.subNs !== 0) found.add(field, 'must not be more precise than a millisecond')
    }
  }
  for (const field of ['account', 'time']) if (entry[field] === undefined) found.add(field, 'is required')
  // [ours] a record arrives from its time until settledAt (data/lag.ts), so it must end later.
  if (time && settledAt && !found.has('time') && !found.has('settledAt') && settledAt.ms <= time.ms)
    found.add('settledAt', `must be after time (${show(entry.time)}), got ${show(entry.settledAt)}`)
  const valid = (field: string) => entry[field] !== undefined && !found.has(field)
  spec?.check?.(entry, (field, text) => found.add(field, text), valid)
  found.done()
  const record: Record<string, unknown> = {
    kind: entry.kind,
    account: entry.account,
    time: time?.ms,
    ...(settledAt ? { settledAt: settledAt.ms } : {}),
    annotations: toAnnotations(entry.annotations),
  }
  for (const [field, type] of Object.entries(fields))
    record[field] = entry[field] === undefined || entry[field] === '' ? defaultOf(type) : entry[field]
  const built = record as unknown as UsageRecord
  return spec?.complete ? spec.complete(built, entry) : built
}

/**
 * A record in the fixture format, every field written out: what /_mock/records exports, and
 * what a fixture file can load back to reproduce the same answers. Never `settledAt`: an export
 * is what is visible at the clock's now, each record as whole as it then is.
 */
export function recordToFixture(
  spec: StreamSpec,
  r: UsageRecord,
  formatTime: (ms: number) => string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: r.kind, account: r.account, time: formatTime(r.time) }
  for (const field of Object.keys(spec.fields)) out[field] = (r as unknown as Record<string, unknown>)[field]
  out.annotations = Object.fromEntries(Object.entries(r.annotations).filter(([, v]) => v !== ''))
  return out
}
