// The probe's only way to the target: GET requests (and the POST of usageCosts:query), spaced by a fixed interval, within a
// budget, with 429 answered by waiting as long as Retry-After says (RFC 9110: seconds or an
// HTTP date). Redirects are answers, never followed. A request that gets no complete answer
// (refused, reset, timed out, its body cut short) is a NoAnswer: a finding about the target,
// where a spent budget or a lasting 429 is only a reason the probe could not ask. The API key
// lives in this closure only: it is sent in the Authorization header and never put in anything
// the client returns or throws.

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
  /** The Location header of a redirect (3xx), which is never followed. */
  location?: string
}

export interface ClientOptions {
  /** Base URL, e.g. https://api.fireworks.ai (a path prefix is kept). */
  target: string
  apiKey: string
  maxRequests: number
  intervalMs: number
  /** How long a request may take, its body included. */
  timeoutMs?: number
  /** The signal that ends a request after timeoutMs (tests abort it on an event instead). */
  timeoutSignal?: (timeoutMs: number) => AbortSignal
  /** How often one request is retried after a 429. */
  maxRetries?: number
  /** A longer Retry-After than this gives up rather than waits. */
  maxRetryWaitMs?: number
  sleep?: (ms: number) => Promise<void>
  clock?: () => number
  fetch?: typeof fetch
}

/** The request could not be asked: budget spent, or still rate limited. */
export class RequestNotAnswered extends Error {}

/** The request was sent and got no complete answer: no connection, a timeout, a body cut short. */
export class NoAnswer extends Error {}

export interface ProbeClient {
  /** GET `pathAndQuery` (starting with /) with the given credentials. */
  get(pathAndQuery: string, credentials: Credentials): Promise<Answer>
  /** POST `body` (JSON text) to `pathAndQuery`, as GET otherwise. */
  post(pathAndQuery: string, body: string, credentials: Credentials): Promise<Answer>
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
  const timeoutSignal = options.timeoutSignal ?? ((ms: number) => AbortSignal.timeout(ms))
  const maxRetries = options.maxRetries ?? 5
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 120_000
  const sleep = options.sleep ?? sleepFor
  const clock = options.clock ?? Date.now
  const doFetch = options.fetch ?? fetch
  let sent = 0
  let lastSentAt = Number.NEGATIVE_INFINITY

  /**
   * The key, should a target echo it, replaced in what the client returns: reports shorten what
   * targets send, and a key cut in two would pass the CLI's redaction (which stays, as well).
   */
  const hide = (text: string) =>
    apiKey ? text.split(apiKey).join('[redacted]').split(encodeURIComponent(apiKey)).join('[redacted]') : text

  function headersFor(credentials: Credentials, body: string | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': `fireworks-usage-mock-conformance/${VERSION}`,
    }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (credentials === 'key') headers.authorization = `Bearer ${apiKey}`
    if (credentials === 'wrong-key') headers.authorization = `Bearer ${WRONG_KEY}`
    return headers
  }

  /** What fetch's cause names (ECONNREFUSED, ...): fetch itself says only "fetch failed" or "terminated". */
  function causeOf(err: unknown): string {
    const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause
    return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err))
  }

  /** One request's answer, its body read in full, and its Retry-After. */
  async function send(
    pathAndQuery: string,
    credentials: Credentials,
    body: string | undefined,
  ): Promise<{ answer: Omit<Answer, 'json'>; retryAfter: string | null }> {
    if (sent >= maxRequests) throw new RequestNotAnswered(`the request budget (--max-requests ${maxRequests}) is spent`)
    const wait = lastSentAt + intervalMs - clock()
    if (wait > 0) await sleep(wait)
    sent++
    lastSentAt = clock()
    const signal = timeoutSignal(timeoutMs)
    let res: Response
    try {
      // redirect: 'manual' so the key is never carried to wherever a redirect points.
      res = await doFetch(`${base}${pathAndQuery}`, {
        ...(body === undefined ? {} : { method: 'POST', body }),
        headers: headersFor(credentials, body),
        redirect: 'manual',
        signal,
      })
    } catch (err) {
      throw new NoAnswer(
        signal.aborted ? `no answer within ${timeoutMs / 1000} s` : `no answer from the target: ${causeOf(err)}`,
      )
    }
    const location = res.headers.get('location')
    try {
      const text = await res.text()
      return {
        answer: {
          status: res.status,
          contentType: res.headers.get('content-type') ?? '',
          text,
          ...(location === null ? {} : { location }),
        },
        retryAfter: res.headers.get('retry-after'),
      }
    } catch (err) {
      // The connection closed, or the time ran out, before the body was complete.
      throw new NoAnswer(
        signal.aborted
          ? `the answer (status ${res.status}) did not finish within ${timeoutMs / 1000} s`
          : `the answer (status ${res.status}) was cut short: the connection ended before the body was complete (${causeOf(err)})`,
      )
    }
  }

  /** A request answered: 429s waited out, the JSON parsed, the key hidden. */
  async function ask(pathAndQuery: string, credentials: Credentials, body?: string): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const { answer, retryAfter } = await send(pathAndQuery, credentials, body)
      if (answer.status === 429) {
        const wait = retryAfterMs(retryAfter, clock()) ?? 1000 * 2 ** attempt
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
        const parsed: unknown = JSON.parse(hide(answer.text))
        // A string may spell the key with \u escapes: then it is hidden in the parsed value too.
        json = answer.text.includes('\\u') ? JSON.parse(hide(JSON.stringify(parsed))) : parsed
      } catch {
        json = undefined
      }
      const { location } = answer
      return {
        ...answer,
        text: hide(answer.text),
        json,
        ...(location === undefined ? {} : { location: hide(location) }),
      }
    }
  }

  return {
    get sent() {
      return sent
    },
    get: (pathAndQuery, credentials) => ask(pathAndQuery, credentials),
    post: (pathAndQuery, body, credentials) => ask(pathAndQuery, credentials, body),
  }
}
