// Page tokens [real: "all other parameters must match the call that provided the page token";
// ours: the form]: opaque, stateless and deterministic. A token carries the offset of the next
// page and a digest of that offset with the request's other parameters, so a token used with
// other parameters, or one the server never issued, is refused with 400 code 3.

import { sha256 } from '../digest.js'
import { pageTokenNotIssued } from '../messages.js'

const digestOf = (request: string, offset: number) =>
  sha256(`fireworks-usage-mock page|${offset}|${request}`).slice(0, 24)

/** The token of the page that starts at `offset`, for a request whose other parameters are `request`. */
export function pageToken(request: string, offset: number): string {
  return Buffer.from(`${offset}.${digestOf(request, offset)}`).toString('base64url')
}

/**
 * The offset a token names, checked against the request it comes with; 0 for no token. `field`
 * names the parameter in the error (pageToken, or page_token as the caller spelt it).
 */
export function pageOffset(token: string | undefined, request: string, field = 'pageToken'): number {
  if (!token) return 0
  const [offset, digest] = Buffer.from(token, 'base64url').toString('latin1').split('.')
  const n = Number(offset)
  if (!/^\d{1,9}$/.test(offset ?? '') || digest !== digestOf(request, n)) throw pageTokenNotIssued(field)
  return n
}
