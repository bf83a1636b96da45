// Per-request mock controls, kept apart from the real API's names: x-mock-now pins the clock
// for one request, x-mock-status and x-mock-delay-ms inject a fault into one request, and
// x-mock-explain asks for an explanation of the answer. (x-mock-session is read first of all,
// in http/sessions.ts.)

import { invalidArgument } from '../errors.js'
import { MAX_DELAY_MS } from '../mock/faults.js'
import { parseRfc3339 } from '../time.js'
import { BOOLEAN_WORDS, booleanOf } from '../settings.js'

export interface MockHeaders {
  now?: number
  status?: number
  delayMs?: number
  /** x-mock-explain: true asks for the x-mock-explain answer header. */
  explain?: boolean
}

function one(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name]
  if (Array.isArray(v)) throw invalidArgument(`${name} must be given once`)
  return v
}

function integer(name: string, text: string, min: number, max: number): number {
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw invalidArgument(`invalid ${name} header ${JSON.stringify(text)}: must be an integer from ${min} to ${max}`)
  return n
}

export function readMockHeaders(headers: Record<string, string | string[] | undefined>): MockHeaders {
  const out: MockHeaders = {}
  const now = one(headers, 'x-mock-now')
  if (now !== undefined) {
    const instant = parseRfc3339(now)
    if (!instant)
      throw invalidArgument(
        `invalid x-mock-now header ${JSON.stringify(now)}: must be an RFC 3339 timestamp such as 2026-06-01T00:00:00Z`,
      )
    out.now = instant.ms
  }
  const status = one(headers, 'x-mock-status')
  if (status !== undefined) out.status = integer('x-mock-status', status, 400, 599)
  const delay = one(headers, 'x-mock-delay-ms')
  if (delay !== undefined) out.delayMs = integer('x-mock-delay-ms', delay, 0, MAX_DELAY_MS)
  const explain = one(headers, 'x-mock-explain')
  if (explain !== undefined) {
    const on = booleanOf(explain)
    if (on === undefined)
      throw invalidArgument(`invalid x-mock-explain header ${JSON.stringify(explain)}: ${BOOLEAN_WORDS}`)
    out.explain = on
  }
  return out
}
