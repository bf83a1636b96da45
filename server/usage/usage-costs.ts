// POST /v1/accounts/{account_id}/usageCosts:query (Gateway_QueryUsageCosts)
// [costs-and-accounts.md section 2]: rated dollar subtotals of text serverless usage, grouped by
// up to two of HOUR, DAY, MODEL, USER, API_KEY, paged, with an account-wide subtotal. Computed by
// the one aggregation engine over serverless records, a row's cost being the records' own
// costNanoUsd: over any window the subtotal equals the costNanoUsd of billingUsage's text rows
// over the same instants, to the nano, by construction.

import { directoryOf, userName, type Directory } from '../data/directory.js'
import { MODEL_PREFIX, modelPrice } from '../data/prices.js'
import { windowSettled } from '../data/source.js'
import type { WorldAccount } from '../data/world.js'
import {
  accountScopeNeedsAdmin,
  costsBodyNotObject,
  costsNotTimestamp,
  costsWindowTooLong,
  duplicateField,
  groupByHourAndDay,
  groupByNotList,
  groupByRepeated,
  groupByTooMany,
  groupByUnknown,
  groupByUnspecified,
  notObject,
  notString,
  pageSizeNegative,
  pageSizeNotInteger,
  required,
  startNotBeforeEnd,
  unknownScope,
} from '../messages.js'
import { costOf, serverless, TEXT_USAGE_TYPE, type ServerlessRecord } from '../streams/serverless.js'
import { ceilMs, compareInstants, DAY_MS, formatUtc, parseRfc3339, type Instant } from '../time.js'
import { aggregateUsage, type EngineOptions } from './aggregate.js'
import { planOf } from './plan.js'
import { type StreamPlan } from '../model/stream.js'
import { bucketsFor, hoursFor } from './buckets.js'
import { type Bucket } from '../model/bucket.js'
import { addNano, money, type Money } from '../json/money.js'
import { pageOffset, pageToken } from './page-token.js'
import { MAX_WINDOW_DAYS } from './window.js'

/**
 * [real] enum values, by number as the proto numbers them (the order of a client generated from
 * Fireworks' own document: DAY came last, after API_KEY).
 */
export const DIMENSIONS = ['DIMENSION_UNSPECIFIED', 'HOUR', 'MODEL', 'USER', 'API_KEY', 'DAY'] as const
export const SCOPES = ['SCOPE_UNSPECIFIED', 'ACCOUNT', 'SELF'] as const
export type Dimension = Exclude<(typeof DIMENSIONS)[number], 'DIMENSION_UNSPECIFIED'>
type Scope = 'ACCOUNT' | 'SELF'

/** [ours] default 100, at most 1000 (larger values are clamped, as clients expect [client]). */
const DEFAULT_PAGE_SIZE = 100
const MAX_PAGE_SIZE = 1000
const MAX_DIMENSIONS = 2

export interface CostsFilter {
  apiKeyId?: string
  model?: string
  sessionId?: string
  user?: string
}

export interface CostsQuery {
  start: Instant
  end: Instant
  fromMs: number
  toMs: number
  scope: Scope
  groupBy: readonly Dimension[]
  filter: CostsFilter
  pageSize: number
  offset: number
  /** The body's meaning without the page token: what a token is bound to, and the cache key's part. */
  binding: string
}

export interface CostDimensions {
  startTime?: string
  model?: string
  user?: string
  apiKeyId?: string
  unknownModel?: boolean
  unattributedDimensions?: Dimension[]
}

export interface CostRow {
  dimensions: CostDimensions
  subtotal: Money
}

export interface CostsBody {
  rows: CostRow[]
  subtotal: Money
  nextPageToken: string
  attributionCompleteness: 'COMPLETE' | 'INCOMPLETE'
  evaluationTime: string
}

type Body = Record<string, unknown>

const snake = (camel: string) => camel.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`)

/** [gw] A field in lowerCamel or in snake_case; both at once is a duplicate, as protojson says. */
function field(body: Body, camel: string, where = ''): { value: unknown; name: string } {
  const s = snake(camel)
  const hasCamel = Object.hasOwn(body, camel)
  const hasSnake = s !== camel && Object.hasOwn(body, s)
  if (hasCamel && hasSnake) throw duplicateField(where, camel, s)
  const name = `${where}${hasSnake ? s : camel}`
  return { value: hasCamel ? body[camel] : hasSnake ? body[s] : undefined, name }
}

function time(body: Body, camel: string): Instant {
  const { value, name } = field(body, camel)
  if (value === undefined || value === null || value === '') throw required(name)
  const instant = typeof value === 'string' ? parseRfc3339(value) : null
  if (!instant) throw costsNotTimestamp(name, value)
  return instant
}

/** [gw] An enum value by name or by number. */
function enumValue<T extends string>(values: readonly T[], value: unknown): T | undefined {
  if (typeof value === 'string') return values.find(v => v === value)
  if (typeof value === 'number' && Number.isInteger(value)) return values[value]
  return undefined
}

function parseGroupBy(body: Body): Dimension[] {
  const { value, name } = field(body, 'groupBy')
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw groupByNotList(name, DIMENSIONS.slice(1))
  const out: Dimension[] = []
  for (const v of value) {
    const d = enumValue(DIMENSIONS, v)
    if (!d) throw groupByUnknown(name, v, DIMENSIONS.slice(1))
    if (d === 'DIMENSION_UNSPECIFIED') throw groupByUnspecified(name, d)
    if (out.includes(d)) throw groupByRepeated(name, d)
    out.push(d)
  }
  if (out.length > MAX_DIMENSIONS) throw groupByTooMany(name, MAX_DIMENSIONS, out)
  if (out.includes('HOUR') && out.includes('DAY')) throw groupByHourAndDay(name)
  return out
}

function parseFilter(body: Body): CostsFilter {
  const { value, name } = field(body, 'filter')
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw notObject(name)
  const filter: CostsFilter = {}
  for (const key of ['apiKeyId', 'model', 'sessionId', 'user'] as const) {
    const f = field(value as Body, key, `${name}.`)
    if (f.value === undefined || f.value === null || f.value === '') continue
    if (typeof f.value !== 'string') throw notString(f.name)
    filter[key] = f.value
  }
  return filter
}

/** [gw] int32 as a JSON number or a string of digits. */
function parsePageSize(body: Body): number {
  const { value, name } = field(body, 'pageSize')
  if (value === undefined || value === null) return DEFAULT_PAGE_SIZE
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw pageSizeNotInteger(name, value)
  if (n < 0) throw pageSizeNegative(name, n)
  return n === 0 ? DEFAULT_PAGE_SIZE : Math.min(n, MAX_PAGE_SIZE)
}

/**
 * The body's meaning, validated in the documented order [ours], each failure 400 code 3 naming
 * the field: times, their order, the 31-day bound, groupBy, the scope, the filter, pageSize, and
 * last the page token. Unknown fields are ignored [gw].
 */
export function parseCostsBody(body: unknown): { query: CostsQuery; ignored: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw costsBodyNotObject()
  const b = body as Body
  const start = time(b, 'startTime')
  const end = time(b, 'endTime')
  if (compareInstants(start, end) >= 0) throw startNotBeforeEnd('startTime', 'endTime')
  const limit = { ms: start.ms + MAX_WINDOW_DAYS * DAY_MS, subNs: start.subNs }
  if (compareInstants(end, limit) > 0) throw costsWindowTooLong(MAX_WINDOW_DAYS)
  const groupBy = parseGroupBy(b)
  const scopeField = field(b, 'scope')
  const scopeValue = scopeField.value ?? 'SCOPE_UNSPECIFIED'
  const scopeName = enumValue(SCOPES, scopeValue)
  if (!scopeName) throw unknownScope(scopeField.name, scopeValue, SCOPES)
  // [ours] an unspecified scope is SELF.
  const scope: Scope = scopeName === 'ACCOUNT' ? 'ACCOUNT' : 'SELF'
  const filter = parseFilter(b)
  const pageSize = parsePageSize(b)
  const binding = JSON.stringify([start, end, scope, groupBy, filter, pageSize])
  const tokenField = field(b, 'pageToken')
  if (tokenField.value !== undefined && tokenField.value !== null && typeof tokenField.value !== 'string')
    throw notString(tokenField.name)
  const offset = pageOffset(tokenField.value ?? undefined, binding, tokenField.name)
  const known = new Set(
    ['startTime', 'endTime', 'scope', 'groupBy', 'filter', 'pageSize', 'pageToken'].flatMap(f => [f, snake(f)]),
  )
  return {
    query: { start, end, fromMs: ceilMs(start), toMs: ceilMs(end), scope, groupBy, filter, pageSize, offset, binding },
    ignored: Object.keys(b).filter(k => !known.has(k)),
  }
}

/** Who is asking: the user of the calling key, and that user's role. */
export interface Caller {
  user: string
  admin: boolean
}

/**
 * The caller of a key: its user in the account's directory. A key the directory does not know
 * (AUTH=any's invented ones) acts as the account's first admin [ours].
 */
export function callerOf(account: WorldAccount, keyId: string): Caller {
  const directory = directoryOf(account)
  const user = directory.userOf(keyId) ?? directory.users[0]?.id ?? 'admin'
  return { user, admin: (directory.roleOf(user) ?? 'admin') === 'admin' }
}

/** [ours] `model` and `user` filters take resource names, or the bare id. */
const modelNameOf = (model: string) => (model.includes('/') ? model : `${MODEL_PREFIX}${model}`)
const userIdOf = (account: string, user: string) => {
  const prefix = `accounts/${account}/users/`
  return user.startsWith(prefix) ? user.slice(prefix.length) : user
}

/**
 * Which usage counts: a test on a row's model and key. Applied to the aggregates of one plan
 * (every model and key), so every scope, user and filter reads the same hourly sums.
 */
function selection(account: WorldAccount, query: CostsQuery, caller: Caller, directory: Directory) {
  const { filter } = query
  const model = filter.model === undefined ? undefined : modelNameOf(filter.model)
  const keySets: ReadonlySet<string>[] = []
  if (filter.apiKeyId) keySets.push(new Set([filter.apiKeyId]))
  if (filter.user) keySets.push(new Set(directory.keysOf(userIdOf(account.account, filter.user))))
  // [real] SELF: the costs of the authenticated principal; [ours] every key of the caller's user.
  if (query.scope === 'SELF') keySets.push(new Set(directory.keysOf(caller.user)))
  return (m: string, key: string) => (model === undefined || m === model) && keySets.every(set => set.has(key))
}

/**
 * Every row's model and key, so that users, scopes and models follow from them; or the model
 * alone, when nothing asks for keys (ACCOUNT scope, no key or user filter or grouping): many
 * fewer aggregates to walk (a model's keys summed once per block by the hourly sums, not per row).
 */
const BY_MODEL_AND_KEY = planOf(serverless, ['model_name', 'api_key_id'])
const BY_MODEL = planOf(serverless, ['model_name'])

function costsPlan(query: CostsQuery): StreamPlan<ServerlessRecord> {
  const keys =
    query.scope === 'SELF' ||
    query.filter.apiKeyId !== undefined ||
    query.filter.user !== undefined ||
    query.groupBy.includes('USER') ||
    query.groupBy.includes('API_KEY')
  return keys ? BY_MODEL_AND_KEY : BY_MODEL
}

function bucketsOf(query: CostsQuery): readonly Bucket[] {
  const { fromMs, toMs, groupBy } = query
  if (groupBy.includes('HOUR')) return hoursFor(fromMs, toMs)
  if (groupBy.includes('DAY')) return bucketsFor(fromMs, toMs, 'UTC')
  return [{ startMs: fromMs, endMs: toMs, startTime: formatUtc(fromMs), endTime: formatUtc(toMs) }]
}

interface RowSum {
  startMs: number
  dimensions: CostDimensions
  /** The grouped values, in groupBy order, for sorting. */
  order: string[]
  nano: number | bigint
}

export function queryUsageCosts(
  account: WorldAccount,
  query: CostsQuery,
  caller: Caller,
  nowMs: number,
  engine: EngineOptions = {},
): CostsBody {
  // [ours] ACCOUNT scope needs an admin; clients then retry with SELF [client].
  if (query.scope === 'ACCOUNT' && !caller.admin) throw accountScopeNeedsAdmin(userName(account.account, caller.user))
  const directory = directoryOf(account)
  const buckets = bucketsOf(query)
  // Rows by startTime, then by their other values: the values are the aggregates' own strings,
  // hashed already, where one key made of both was a new string to hash for every aggregate.
  const rows = new Map<number, Map<string, RowSum>>()
  let total: number | bigint = 0
  // [ours] records carry no session id, so a sessionId filter matches no usage.
  const selected = selection(account, query, caller, directory)
  const aggregates =
    query.filter.sessionId !== undefined
      ? []
      : aggregateUsage(account, costsPlan(query), { ...query, nowMs }, buckets, engine)
  const timed = query.groupBy.includes('HOUR') || query.groupBy.includes('DAY')
  const valued = query.groupBy.filter(d => d !== 'HOUR' && d !== 'DAY')
  // A bucket's startTime, formatted once per bucket, not once per row (formatting was a third of
  // a computed answer's time).
  const startTimes = new Map<Bucket, string>()
  const startTimeOf = (bucket: Bucket) => {
    let text = startTimes.get(bucket)
    if (text === undefined) startTimes.set(bucket, (text = formatUtc(bucket.startMs)))
    return text
  }
  for (const agg of aggregates) {
    // [real] serverless token usage only: audio is not priced from tokens.
    if (agg.split !== TEXT_USAGE_TYPE) continue
    const model = agg.group[0] as string
    const keyId = agg.group[1] ?? ''
    if (!selected(model, keyId)) continue
    const nano = costOf(agg.sums)
    if (nano === 0) continue
    total = addNano(total, nano)
    const order = valued.map(d => valueOf(d, model, keyId, directory))
    const startMs = timed ? agg.bucket.startMs : query.fromMs
    let atStart = rows.get(startMs)
    if (!atStart) rows.set(startMs, (atStart = new Map<string, RowSum>()))
    const key = order.length === 1 ? (order[0] as string) : order.join('\u0000')
    const row = atStart.get(key)
    if (row) row.nano = addNano(row.nano, nano)
    else {
      const startTime = timed ? startTimeOf(agg.bucket) : undefined
      atStart.set(key, { startMs, dimensions: dimensionsOf(account, query, order, startTime), order, nano })
    }
  }
  // [ours] by startTime, then the other dimensions' values; exact-zero subtotals are left out [real: CSV].
  const sorted: RowSum[] = []
  for (const atStart of rows.values())
    for (const r of atStart.values()) if (r.nano !== 0 && r.nano !== 0n) sorted.push(r)
  sorted.sort((a, b) => a.startMs - b.startMs || compareLists(a.order, b.order))
  const end = query.offset + query.pageSize
  return {
    rows: sorted.slice(query.offset, end).map(r => ({ dimensions: r.dimensions, subtotal: money(r.nano) })),
    subtotal: money(total),
    nextPageToken: end < sorted.length ? pageToken(query.binding, end) : '',
    // [ours] INCOMPLETE while usage of the window may still be arriving (data/lag.ts).
    attributionCompleteness: windowSettled(account, { ...query, nowMs, lag: engine.lag }) ? 'COMPLETE' : 'INCOMPLETE',
    evaluationTime: formatUtc(nowMs),
  }
}

/** A row's value of a non-time dimension; '' when the usage does not carry it. */
function valueOf(d: Dimension, model: string, keyId: string, directory: Directory): string {
  if (d === 'MODEL') return model
  if (d === 'API_KEY') return keyId
  return keyId !== '' ? (directory.userOf(keyId) ?? '') : ''
}

/** A row's dimensions from its grouped values (in groupBy order, time left out). */
function dimensionsOf(
  account: WorldAccount,
  query: CostsQuery,
  order: readonly string[],
  startTime: string | undefined,
): CostDimensions {
  const dimensions: CostDimensions = {}
  const unattributed: Dimension[] = []
  if (startTime !== undefined) dimensions.startTime = startTime
  let i = 0
  for (const d of query.groupBy) {
    if (d === 'HOUR' || d === 'DAY') continue
    const value = order[i++] as string
    if (value === '') unattributed.push(d)
    else if (d === 'MODEL') dimensions.model = value
    else if (d === 'API_KEY') dimensions.apiKeyId = value
    else dimensions.user = userName(account.account, value)
  }
  // [ours] a model without a public price (fixture models) counts at the rate its records carry.
  if (dimensions.model !== undefined && !modelPrice(dimensions.model)) dimensions.unknownModel = true
  if (unattributed.length > 0) dimensions.unattributedDimensions = unattributed
  return dimensions
}

function compareLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string
    const y = b[i] as string
    if (x !== y) return x < y ? -1 : 1
  }
  return 0
}
