// The probe's only way to the target: GET requests, spaced by a fixed interval, within a
// budget, with 429 answered by waiting as long as Retry-After says (RFC 9110: seconds or an
// HTTP date). The API key lives in this closure only: it is sent in the Authorization header
// and never put in anything the client returns or throws.

import { VERSION } from '../paths.js'

/** Which credentials a request carries: the user's key, none, or a well-formed key nobody has. */
export type Credentials = 'key' | 'none' | 'wrong-key'

/** A key that looks real (fw_ + letters and digits [contract 1.1]) but belongs to no one. */
export const WRONG_KEY = 'fw_conformanceProbeNoSuchKey0'

export interface Answer {
  status: number
  contentType: string
  /** The parsed JSON body, or undefined when it is not JSON. */
  json: unknown
  text: string
}

export interface ClientOptions {
  /** Base URL, e.g. https://api.fireworks.ai (a path prefix is kept). */
  target: string
  apiKey: string
  maxRequests: number
  intervalMs: number
  timeoutMs?: number
  /** How often one request is retried after a 429. */
  maxRetries?: number
  /** A longer Retry-After than this gives up rather than waits. */
  maxRetryWaitMs?: number
  sleep?: (ms: number) => Promise<void>
  clock?: () => number
  fetch?: typeof fetch
}

/** The request could not be sent: budget spent, still rate limited, or no answer. */
export class RequestNotAnswered extends Error {}

export interface ProbeClient {
  /** GET `pathAndQuery` (starting with /) with the given credentials. */
  get(pathAndQuery: string, credentials: Credentials): Promise<Answer>
  /** Requests sent so far, retries included. */
  readonly sent: number
}

const sleepFor = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

/** Retry-After as milliseconds from now, or null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null) return null
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs)
}

export function createClient(options: ClientOptions): ProbeClient {
  const { apiKey, maxRequests, intervalMs } = options
  const base = options.target.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 60_000
  const maxRetries = options.maxRetries ?? 5
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 120_000
  const sleep = options.sleep ?? sleepFor
  const clock = options.clock ?? Date.now
  const doFetch = options.fetch ?? fetch
  let sent = 0
  let lastSentAt = Number.NEGATIVE_INFINITY

  function headersFor(credentials: Credentials): Record<string, string> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': `fireworks-usage-mock-conformance/${VERSION}`,
    }
    if (credentials === 'key') headers.authorization = `Bearer ${apiKey}`
    if (credentials === 'wrong-key') headers.authorization = `Bearer ${WRONG_KEY}`
    return headers
  }

  async function send(pathAndQuery: string, credentials: Credentials): Promise<Response> {
    if (sent >= maxRequests) throw new RequestNotAnswered(`the request budget (--max-requests ${maxRequests}) is spent`)
    const wait = lastSentAt + intervalMs - clock()
    if (wait > 0) await sleep(wait)
    sent++
    lastSentAt = clock()
    try {
      // redirect: 'manual' so the key is never carried to wherever a redirect points.
      return await doFetch(`${base}${pathAndQuery}`, {
        headers: headersFor(credentials),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (err) {
      // fetch says only "fetch failed"; the cause names the problem (ECONNREFUSED, bad port, ...).
      const cause = (err as { cause?: { code?: string; message?: string } }).cause
      throw new RequestNotAnswered(
        `no answer from the target: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      )
    }
  }

  return {
    get sent() {
      return sent
    },
    async get(pathAndQuery, credentials) {
      for (let attempt = 0; ; attempt++) {
        const res = await send(pathAndQuery, credentials)
        const text = await res.text()
        if (res.status === 429) {
          const wait = retryAfterMs(res.headers.get('retry-after'), clock()) ?? 1000 * 2 ** attempt
          if (attempt >= maxRetries)
            throw new RequestNotAnswered(`still rate limited (429) after ${attempt + 1} attempts`)
          if (wait > maxRetryWaitMs)
            throw new RequestNotAnswered(
              `rate limited (429) with Retry-After of ${Math.ceil(wait / 1000)} s, longer than ${maxRetryWaitMs / 1000} s`,
            )
          await sleep(wait)
          continue
        }
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        return { status: res.status, contentType: res.headers.get('content-type') ?? '', json, text }
      }
    },
  }
}
