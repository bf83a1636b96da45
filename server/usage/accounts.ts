// GET /v1/accounts (Gateway_ListAccounts) and GET /v1/accounts/{account_id} (Gateway_GetAccount)
// [costs-and-accounts.md section 1]. Cost tools list accounts first to learn which one a key
// belongs to [client]; [ours] a key sees exactly its own account.

import {
  accountsFilterNested,
  accountsFilterUnsupported,
  pageSizeNegative,
  pageSizeNotInteger,
  readMaskUnknownField,
} from '../messages.js'
import type { GatewayAccount } from '../data/directory.js'
import { pageOffset, pageToken } from './page-token.js'
import { readParams, scalar } from './params.js'

/** Both spellings of each parameter, by proto field name [gw]. */
const SPELLINGS: Record<string, string> = {
  pageSize: 'page_size',
  page_size: 'page_size',
  pageToken: 'page_token',
  page_token: 'page_token',
  filter: 'filter',
  orderBy: 'order_by',
  order_by: 'order_by',
  readMask: 'read_mask',
  read_mask: 'read_mask',
}

/** [real] default 50; larger values are coerced to 200. */
const DEFAULT_PAGE_SIZE = 50
const MAX_PAGE_SIZE = 200

const FIELDS: readonly (keyof GatewayAccount)[] = [
  'name',
  'displayName',
  'email',
  'createTime',
  'updateTime',
  'accountType',
  'state',
  'status',
  'suspendState',
]
const snake = (camel: string) => camel.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`)

export interface AccountsQuery {
  pageSize: number
  offset: number
  /** `accounts/<id>` that the filter asks for, or undefined for no filter. */
  name: string | undefined
  /** The fields to answer with (all of them for an empty mask or `*`). */
  fields: readonly (keyof GatewayAccount)[]
  /** The parameters that a page token is bound to. */
  binding: string
}

/** [real] `readMask`: empty or `*` is every field; [ours] otherwise top-level fields, in either spelling. */
function readMask(text: string | undefined, param: string): readonly (keyof GatewayAccount)[] {
  if (!text || text.trim() === '*') return FIELDS
  const fields = new Set<keyof GatewayAccount>()
  for (const raw of text.split(',')) {
    const path = raw.trim()
    const field = FIELDS.find(f => f === path || snake(f) === path)
    if (!field) throw readMaskUnknownField(param, path, FIELDS)
    fields.add(field)
  }
  return FIELDS.filter(f => fields.has(f))
}

/** The parameter's name as the caller spelt it, for messages. */
const spelt = (raw: Record<string, unknown>, camel: string) =>
  camel in raw ? camel : snake(camel) in raw ? snake(camel) : camel

export function parseAccountsQuery(
  raw: Record<string, unknown>,
  strict = false,
): { query: AccountsQuery; ignored: string[] } {
  const params = readParams(raw, ['page_size', 'page_token', 'filter', 'order_by', 'read_mask'], strict, SPELLINGS)
  const sizeText = scalar(params, 'page_size')
  let pageSize = DEFAULT_PAGE_SIZE
  if (sizeText !== undefined && sizeText !== '') {
    const n = Number(sizeText)
    if (!/^-?\d+$/.test(sizeText) || !Number.isSafeInteger(n))
      throw pageSizeNotInteger(spelt(raw, 'pageSize'), sizeText)
    if (n < 0) throw pageSizeNegative(spelt(raw, 'pageSize'), n)
    pageSize = n === 0 ? DEFAULT_PAGE_SIZE : Math.min(n, MAX_PAGE_SIZE)
  }
  // `filter` is a plain string here (the usage operations' filter is a map).
  const filterValue = params.filter
  if (filterValue !== undefined && typeof filterValue !== 'string') throw accountsFilterNested()
  const filter = (filterValue ?? '').trim()
  let name: string | undefined
  if (filter !== '') {
    // [ours] AIP-160 restricted to the one comparison cost tools need.
    const m = /^name\s*=\s*"([^"]*)"$/.exec(filter)
    if (!m) throw accountsFilterUnsupported(filter)
    name = m[1]
  }
  // [real] orderBy is not supported: accounts come ordered by name. It is still a parameter.
  const orderBy = scalar(params, 'order_by') ?? ''
  const maskText = scalar(params, 'read_mask')
  const fields = readMask(maskText, spelt(raw, 'readMask'))
  const binding = JSON.stringify([pageSize, filter, orderBy, maskText ?? ''])
  const offset = pageOffset(scalar(params, 'page_token'), binding, spelt(raw, 'pageToken'))
  return { query: { pageSize, offset, name, fields, binding }, ignored: params.ignored }
}

/** An account with only the fields of the mask. */
export function masked(account: GatewayAccount, fields: readonly (keyof GatewayAccount)[]): Partial<GatewayAccount> {
  if (fields === FIELDS) return account
  return Object.fromEntries(fields.map(f => [f, account[f]]))
}

export interface ListAccountsBody {
  accounts: Partial<GatewayAccount>[]
  nextPageToken?: string
  totalSize: number
}

/** The page of the visible accounts (ordered by name); no nextPageToken on the last page [real]. */
export function listAccounts(visible: readonly GatewayAccount[], query: AccountsQuery): ListAccountsBody {
  const matching = visible
    .filter(a => query.name === undefined || a.name === query.name)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const end = query.offset + query.pageSize
  const body: ListAccountsBody = {
    accounts: matching.slice(query.offset, end).map(a => masked(a, query.fields)),
    totalSize: matching.length,
  }
  if (end < matching.length) body.nextPageToken = pageToken(query.binding, end)
  return body
}

export function parseGetAccountQuery(
  raw: Record<string, unknown>,
  strict = false,
): { query: { fields: readonly (keyof GatewayAccount)[] }; ignored: string[] } {
  const params = readParams(raw, ['read_mask'], strict, SPELLINGS)
  return { query: { fields: readMask(scalar(params, 'read_mask'), spelt(raw, 'readMask')) }, ignored: params.ignored }
}
