// [real] `Authorization: Bearer <API key>`; [ours] 401 (code 16) for a missing, malformed or
// unknown key, 403 (code 7) for a known key on another account's path, whether or not that
// account exists, so the answer never tells which accounts exist.

import { createHash } from 'node:crypto'
import { permissionDenied, unauthenticated } from '../errors.js'
import type { KeyOwner, World } from '../data/world.js'

const digest = (secret: string) => createHash('sha256').update(secret).digest('base64')

/**
 * Keys are looked up by the SHA-256 of the secret, so the time a lookup takes depends on the
 * digest, never on how much of a secret an attacker has guessed.
 */
export class KeyRing {
  private readonly byDigest = new Map<string, KeyOwner>()
  constructor(world: World) {
    for (const [secret, owner] of world.keysBySecret) this.byDigest.set(digest(secret), owner)
  }
  ownerOf(secret: string): KeyOwner | undefined {
    return this.byDigest.get(digest(secret))
  }
}

const BEARER = /^Bearer +(\S+) *$/

export function authenticate(keys: KeyRing, header: string | undefined, accountId: string): KeyOwner {
  if (header === undefined || header === '')
    throw unauthenticated('missing Authorization header; expected "Authorization: Bearer <API key>"')
  const m = BEARER.exec(header)
  if (!m) throw unauthenticated('malformed Authorization header; expected "Authorization: Bearer <API key>"')
  const owner = keys.ownerOf(m[1] as string)
  if (!owner) throw unauthenticated('invalid API key')
  if (owner.account !== accountId) throw permissionDenied(`the API key is not allowed to access accounts/${accountId}`)
  return owner
}
