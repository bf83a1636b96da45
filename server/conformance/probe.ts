// What a probe is and how its verdict is reached. A probe sends requests through a Scope, which
// records each request line, and states checks: expected versus got, each tagged like the
// contract point it rests on. A failed [real] or [gw] check makes the probe differ; a failed
// [ours] check only informs (nobody outside this project promised it); a probe with nothing to
// work on is not applicable and says why. Whatever a target answers, a probe ends in one of
// these verdicts: a request without an answer is a failed check, and an error inside a probe
// is that probe's finding, never the end of the run.

import { NoAnswer, RequestNotAnswered, type Answer, type Credentials, type ProbeClient } from './client.js'
import type { Check, ProbeReport, Tag } from './finding.js'
import { printable } from './report.js'

export type Operation =
  | 'billingUsage'
  | 'billing/summary'
  | 'accountUsageFilterOptions'
  /** GET /v1/accounts (its `account` is the run's: the list is the key's). */
  | 'accounts'
  /** GET /v1/accounts/{account}. */
  | 'account'
  /** POST /v1/accounts/{account}/usageCosts:query, the only operation with a body. */
  | 'usageCosts:query'
/** One query parameter; repeated names are repeated pairs. */
export type Param = readonly [name: string, value: string]

export interface Exchange {
  operation: Operation
  account: string
  params: readonly Param[]
  /** The JSON body of a POST, as sent. */
  body?: unknown
  credentials: Credentials
  /** `GET /v1/accounts/a/billingUsage?...` or `POST /v1/.../usageCosts:query {...}`: what was sent, without credentials. */
  line: string
  answer: Answer
}

export interface Probe<State = unknown> {
  id: string
  rule: string
  tag: Tag
  run(scope: Scope, state: State): Promise<void>
}

/** Thrown by a probe that has nothing to work on. */
export class NotApplicable extends Error {}
/** Thrown after a failed check that leaves nothing else to check. */
class Stop extends Error {}

// Readable query strings: brackets, colons, slashes and commas stay as they are (they are legal
// in a query), everything else is percent-encoded.
const encode = (text: string) =>
  encodeURIComponent(text).replace(/%(3A|2F|5B|5D|2C)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))

/**
 * A target's text for a report: quoted, at most `max` characters, every control character (line
 * breaks included: a finding is one line) written as a \u escape, as the reports write them.
 */
export function excerpt(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}...` : text
  return `"${printable(cut).replace(/[\t\n]/g, c => (c === '\t' ? '\\u0009' : '\\u000a'))}"`
}

/** Any JSON value for a report, shortened; `absent` for a field that is not there. */
export function shown(value: unknown): string {
  if (value === undefined) return 'absent'
  const text = JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 80)}...` : text
}

/** A non-200 answer in a few words: `302, a redirect to "https://x" (not followed)`, `500 "boom"`. */
export function describeAnswer(answer: Answer): string {
  const { status, json, text, contentType } = answer
  if (status >= 300 && status < 400)
    return `${status}, a redirect to ${answer.location === undefined ? 'nowhere (no Location)' : excerpt(answer.location)} (not followed)`
  if (json !== undefined) {
    const message = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).message : undefined
    return `${status} ${typeof message === 'string' ? excerpt(message) : shown(json)}`
  }
  if (text === '') return `${status} with an empty body`
  return `${status} ${contentType || 'without Content-Type'} ${excerpt(text)}`
}

const CREDENTIALS_NOTE: Record<Credentials, string> = {
  key: '',
  none: ' (no credentials)',
  'wrong-key': ' (a key nobody has)',
}

/** The path and query of a request, and its JSON body's text (the body is part of the line: it is the request). */
export function requestLine(operation: Operation, account: string, params: readonly Param[], body?: unknown): string {
  const query = params.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&')
  const path =
    operation === 'accounts'
      ? '/v1/accounts'
      : `/v1/accounts/${encodeURIComponent(account)}${operation === 'account' ? '' : `/${operation}`}`
  const target = `${path}${query ? `?${query}` : ''}`
  return body === undefined ? `GET ${target}` : `POST ${target} ${JSON.stringify(body)}`
}

/** A request line's parts: the method, the path and query, the body's text. */
function sendable(line: string): { path: string; body?: string } {
  const [method, path = '', ...rest] = line.split(' ')
  return method === 'POST' ? { path, body: rest.join(' ') } : { path }
}

/** A request's outcome: its exchange, or the NoAnswer it got; and whether it was asked before. */
export type Outcome = { exchange: Exchange; reused: boolean } | { failure: NoAnswer; line: string; reused: boolean }

/** One run against one target: every exchange, and each distinct request sent only once. */
export class Session {
  readonly exchanges: Exchange[] = []
  /** The requests that got no complete answer. */
  readonly failures: NoAnswer[] = []
  private readonly sent = new Map<string, Promise<Exchange>>()
  constructor(
    private readonly client: ProbeClient,
    readonly account: string,
  ) {}

  /**
   * The outcome of a request, and whether an earlier probe already asked it. A request that got
   * no answer is not asked again (a timeout costs a minute); one the client could not send (the
   * budget, a 429) throws RequestNotAnswered and may be asked again later.
   */
  async request(
    operation: Operation,
    params: readonly Param[],
    credentials: Credentials = 'key',
    account = this.account,
    body?: unknown,
  ): Promise<Outcome> {
    const line = requestLine(operation, account, params, body)
    const key = `${credentials} ${line}`
    const earlier = this.sent.get(key)
    const request = sendable(line)
    const pending =
      earlier ??
      (request.body === undefined
        ? this.client.get(request.path, credentials)
        : this.client.post(request.path, request.body, credentials)
      ).then(
        answer => {
          const exchange: Exchange = {
            operation,
            account,
            params,
            ...(body === undefined ? {} : { body }),
            credentials,
            line,
            answer,
          }
          this.exchanges.push(exchange)
          return exchange
        },
        (err: unknown) => {
          if (err instanceof NoAnswer) this.failures.push(err)
          else this.sent.delete(key)
          throw err
        },
      )
    this.sent.set(key, pending)
    try {
      return { exchange: await pending, reused: earlier !== undefined }
    } catch (err) {
      if (err instanceof NoAnswer) return { failure: err, line, reused: earlier !== undefined }
      throw err
    }
  }
}

export class Scope {
  readonly checks: Check[] = []
  readonly requests: string[] = []
  /** A plain-language finding that replaces the first difference as the summary. */
  finding: string | null = null
  /** What the summary of a probe that passes or informs adds, e.g. which scope was probed. */
  note: string | null = null
  constructor(readonly session: Session) {}

  /** A request's exchange; a request without an answer is a failed check that ends the probe. */
  async get(
    operation: Operation,
    params: readonly Param[],
    options: { credentials?: Credentials; account?: string; body?: unknown } = {},
  ): Promise<Exchange> {
    const credentials = options.credentials ?? 'key'
    const outcome = await this.session.request(operation, params, credentials, options.account, options.body)
    const line = 'exchange' in outcome ? outcome.exchange.line : outcome.line
    this.requests.push(`${line}${CREDENTIALS_NOTE[credentials]}${outcome.reused ? ' (reused)' : ''}`)
    if ('exchange' in outcome) return outcome.exchange
    this.require('real', 'the request is answered', 'a complete answer', outcome.failure.message, false)
    throw new Stop()
  }

  /** Notes answers the probe reads without sending them (the answers of the whole run, another probe's). */
  uses(exchanges: readonly Exchange[]): void {
    for (const e of exchanges) this.requests.push(`${e.line}${CREDENTIALS_NOTE[e.credentials]} (reused)`)
  }

  check(tag: Tag, what: string, expected: string, got: string, ok: boolean): boolean {
    this.checks.push({ tag, what, expected, got, ok })
    return ok
  }

  /** A check that, when it fails, ends the probe. */
  require(tag: Tag, what: string, expected: string, got: string, ok: boolean): void {
    if (!this.check(tag, what, expected, got, ok)) throw new Stop()
  }

  notApplicable(reason: string): never {
    throw new NotApplicable(reason)
  }

  /** A valid request must be answered 200 [real]; otherwise the probe ends there. */
  require200(exchange: Exchange): void {
    const { status } = exchange.answer
    this.require(
      'real',
      'a valid request is answered 200',
      '200',
      status === 200 ? '200' : `${describeAnswer(exchange.answer)} to ${exchange.line}`,
      status === 200,
    )
  }
}

const describeCheck = (c: Check) => `${c.what}: expected ${c.expected}; got ${c.got}`

export async function runProbe<State>(probe: Probe<State>, session: Session, state: State): Promise<ProbeReport> {
  const scope = new Scope(session)
  const base = { id: probe.id, rule: probe.rule, tag: probe.tag, checks: scope.checks, requests: scope.requests }
  let notApplicable: string | null = null
  try {
    await probe.run(scope, state)
  } catch (err) {
    if (err instanceof NotApplicable || err instanceof RequestNotAnswered) notApplicable = err.message
    // The last line of defence: an answer the probe failed to read (a bug: every reading is
    // meant to be checked first) is this probe's difference, not the end of the run.
    else if (!(err instanceof Stop))
      return {
        ...base,
        result: 'differs',
        summary: `the probe could not read the answers: ${err instanceof Error ? err.message : String(err)}`,
      }
  }
  const failed = scope.checks.filter(c => !c.ok)
  const binding = failed.filter(c => c.tag !== 'ours')
  // A difference found before the probe ran out of data or budget still counts.
  if (binding.length > 0)
    return { ...base, result: 'differs', summary: scope.finding ?? describeCheck(binding[0] as Check) }
  if (notApplicable !== null) return { ...base, result: 'n/a', summary: notApplicable }
  const note = scope.note === null ? '' : ` (${scope.note})`
  if (failed.length > 0)
    return { ...base, result: 'info', summary: `[ours] ${describeCheck(failed[0] as Check)}${note}` }
  if (scope.checks.length === 0) return { ...base, result: 'n/a', summary: 'nothing to check' }
  return {
    ...base,
    result: 'pass',
    summary: `${scope.checks.length} ${scope.checks.length === 1 ? 'check holds' : 'checks hold'}${note}`,
  }
}
