// The one hashing helper: SHA-256 in hex. Secrets are kept and compared as digests (a lookup's
// time then depends on the digest, never on how much of a secret matches), rate limits count
// per digest of the bearer token, and AUTH=any derives a stable key id from one.

import { createHash } from 'node:crypto'

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
