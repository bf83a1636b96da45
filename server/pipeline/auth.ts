// [real] `Authorization: Bearer <API key>`; [ours] 401 (code 16) for a missing, malformed or
// unknown key, 403 (code 7) for a known key on another account's path, whether or not that
// account exists, so the answer never tells which accounts exist.
// AUTH=any accepts every bearer token, for generated SDK tests with placeholder keys and ids.
// Authentication only decides who is calling; finding (or, under AUTH=any, inventing) the
// account is the caller's next step.

import { sha256 } from '../digest.js'
import { permissionDenied, unauthenticated } from '../errors.js'
import type { KeyOwner } from '../data/world.js'

/** Strict: the scheme as Fireworks documents it and a token without spaces (real keys are `fw_...`). */
const STRICT_BEARER = /^Bearer +(\S+) *$/
/**
 * Any: the Bearer scheme, its name case-insensitive (RFC 9110 section 11.1), and a token of any
 * characters. Stainless-generated SDK tests send `Bearer My API Key`.
 */
const ANY_BEARER = /^bearer[ \t]+(.*?)[ \t]*$/is

const EXPECTED = 'expected "Authorization: Bearer <API key>"'

export interface KeyLookup {
  ownerOf(secret: string): KeyOwner | undefined
}

export function authenticate(
  keys: KeyLookup,
  mode: 'strict' | 'any',
  header: string | undefined,
  accountId: string,
): KeyOwner {
  const { secret, owner } = identify(keys, mode, header)
  if (mode === 'any' && owner?.account !== accountId) return anyKeyOwner(secret, accountId)
  if (!owner) throw unauthenticated('invalid API key')
  if (owner.account !== accountId) throw permissionDenied(`the API key is not allowed to access accounts/${accountId}`)
  return owner
}

/**
 * The caller of a path without an account (GET /v1/accounts): the key's own account; under
 * AUTH=any an unknown token's account is invented from the token [ours], the same every time.
 */
export function authenticateKey(keys: KeyLookup, mode: 'strict' | 'any', header: string | undefined): KeyOwner {
  const { secret, owner } = identify(keys, mode, header)
  if (owner) return owner
  if (mode === 'any') return anyKeyOwner(secret, `any-${sha256(secret).slice(0, 8)}`)
  throw unauthenticated('invalid API key')
}

function identify(keys: KeyLookup, mode: 'strict' | 'any', header: string | undefined) {
  if (header === undefined || header === '') throw unauthenticated(`missing Authorization header; ${EXPECTED}`)
  const secret = (mode === 'any' ? ANY_BEARER : STRICT_BEARER).exec(header)?.[1]
  if (!secret) throw unauthenticated(`malformed Authorization header; ${EXPECTED}`)
  return { secret, owner: keys.ownerOf(secret) }
}

/** AUTH=any: an unknown token gets a key id derived from it, the same on every request. */
function anyKeyOwner(secret: string, accountId: string): KeyOwner {
  const id = `key_any${sha256(secret).slice(0, 12)}`
  return { account: accountId, keyId: id, keyName: 'any' }
}
