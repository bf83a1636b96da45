// [real] `Authorization: Bearer <API key>`; [ours] 401 (code 16) for a missing, malformed or
// unknown key, 403 (code 7) for a known key on another account's path, whether or not that
// account exists, so the answer never tells which accounts exist.
// AUTH=any accepts every bearer token, for generated SDK tests with placeholder keys and ids.

import { createHash } from 'node:crypto'
import { permissionDenied, unauthenticated } from '../errors.js'
import type { Store } from '../data/store.js'
import type { KeyOwner } from '../data/world.js'

const BEARER = /^Bearer +(\S+) *$/

export function authenticate(store: Store, mode: 'strict' | 'any', header: string | undefined, accountId: string): KeyOwner {
  if (header === undefined || header === '')
    throw unauthenticated('missing Authorization header; expected "Authorization: Bearer <API key>"')
  const m = BEARER.exec(header)
  if (!m) throw unauthenticated('malformed Authorization header; expected "Authorization: Bearer <API key>"')
  const secret = m[1] as string
  const owner = store.ownerOf(secret)
  if (mode === 'any' && owner?.account !== accountId) {
    store.placeholder(accountId)
    const id = `key_any${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`
    return { account: accountId, keyId: id, keyName: 'any' }
  }
  if (!owner) throw unauthenticated('invalid API key')
  if (owner.account !== accountId) throw permissionDenied(`the API key is not allowed to access accounts/${accountId}`)
  return owner
}
