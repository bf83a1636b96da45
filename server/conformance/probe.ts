// What a probe is and how its verdict is reached. A probe sends requests through a Scope, which
// records each request line, and states checks: expected versus got, each tagged like the
// contract point it rests on. A failed [real] or [gw] check makes the probe differ; a failed
// [ours] check only informs (nobody outside this project promised it); a probe with nothing to
// work on is not applicable and says why.

import { RequestNotAnswered, type Answer, type Credentials, type ProbeClient } from './client.js'

export type Tag = 'real' | 'gw' | 'ours'
export type Result = 'pass' | 'differs' | 'info' | 'n/a'
export type Operation = 'billingUsage' | 'billing/summary' | 'accountUsageFilterOptions'
/** One query parameter; repeated names are repeated pairs. */
export type Param = readonly [name: string, value: string]

export interface Exchange {
  operation: Operation
  account: string
  params: readonly Param[]
  credentials: Credentials
  /** `GET /v1/accounts/a/billingUsage?...`: what was sent, without credentials. */
  line: string
  answer: Answer
}

export interface Check {
  tag: Tag
  what: string
  expected: string
  got: string
  ok: boolean
}

export interface ProbeReport {
  id: string
  rule: string
  tag: Tag
  result: Result
  /** One line: the first difference, the finding, or why it does not apply. */
  summary: string
  checks: Check[]
  requests: string[]
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

export function requestLine(operation: Operation, account: string, params: readonly Param[]): string {
  const query = params.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&')
  return `GET /v1/accounts/${encodeURIComponent(account)}/${operation}${query ? `?${query}` : ''}`
}

/** One run against one target: every exchange, and each distinct request sent only once. */
export class Session {
  readonly exchanges: Exchange[] = []
  private readonly sent = new Map<string, Promise<Exchange>>()
  constructor(
    private readonly client: ProbeClient,
    readonly account: string,
  ) {}

  /** The exchange of a request, and whether an earlier probe already sent it. */
  async request(
    operation: Operation,
    params: readonly Param[],
    credentials: Credentials = 'key',
    account = this.account,
  ): Promise<{ exchange: Exchange; reused: boolean }> {
    const line = requestLine(operation, account, params)
    const key = `${credentials} ${line}`
    const earlier = this.sent.get(key)
    if (earlier) return { exchange: await earlier, reused: true }
    const pending = this.client.get(line.slice('GET '.length), credentials).then(answer => {
      const exchange: Exchange = { operation, account, params, credentials, line, answer }
      this.exchanges.push(exchange)
      return exchange
    })
    this.sent.set(key, pending)
    // A failed send is not remembered: a later probe may try again within the budget.
    pending.catch(() => this.sent.delete(key))
    return { exchange: await pending, reused: false }
  }
}

export class Scope {
  readonly checks: Check[] = []
  readonly requests: string[] = []
  /** A plain-language finding that replaces the first difference as the summary. */
  finding: string | null = null
  constructor(readonly session: Session) {}

  async get(
    operation: Operation,
    params: readonly Param[],
    options: { credentials?: Credentials; account?: string } = {},
  ): Promise<Exchange> {
    const { exchange, reused } = await this.session.request(operation, params, options.credentials, options.account)
    const credentials =
      exchange.credentials === 'key'
        ? ''
        : exchange.credentials === 'none'
          ? ' (no credentials)'
          : ' (a key nobody has)'
    this.requests.push(`${exchange.line}${credentials}${reused ? ' (reused)' : ''}`)
    return exchange
  }

  /** Notes requests whose answers the probe reads without sending them, e.g. "the 30 answers of this run". */
  uses(description: string): void {
    this.requests.push(description)
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
    const { status, json } = exchange.answer
    const message =
      typeof (json as { message?: unknown })?.message === 'string' ? ` "${(json as { message: string }).message}"` : ''
    this.require(
      'real',
      'a valid request is answered 200',
      '200',
      status === 200 ? '200' : `${status}${message} to ${exchange.line}`,
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
    // An answer the probe cannot even read is a difference, not a reason to stop the whole run.
    else if (!(err instanceof Stop))
      return { ...base, result: 'differs', summary: `the probe could not read the answers: ${(err as Error).message}` }
  }
  const failed = scope.checks.filter(c => !c.ok)
  const binding = failed.filter(c => c.tag !== 'ours')
  // A difference found before the probe ran out of data or budget still counts.
  if (binding.length > 0)
    return { ...base, result: 'differs', summary: scope.finding ?? describeCheck(binding[0] as Check) }
  if (notApplicable !== null) return { ...base, result: 'n/a', summary: notApplicable }
  if (failed.length > 0) return { ...base, result: 'info', summary: `[ours] ${describeCheck(failed[0] as Check)}` }
  if (scope.checks.length === 0) return { ...base, result: 'n/a', summary: 'nothing to check' }
  return {
    ...base,
    result: 'pass',
    summary: `${scope.checks.length} ${scope.checks.length === 1 ? 'check holds' : 'checks hold'}`,
  }
}
