// The one request pipeline every operation of the real API goes through, with no HTTP framework
// in it: a plain request in, a plain answer out, or the typed ApiError the request fails with
// (http/errors-http.ts turns it into the envelope). The steps, in the contract's order:
//   1. the per-request mock headers (x-mock-now, x-mock-status, x-mock-delay-ms, x-mock-explain);
//   2. injected faults and delays, which stand for the network and the gateway, so they come first;
//   3. authentication, before parameters [contract 1.1];
//   4. the parameters, by the operation's rules;
//   5. the answer cache, when the same question was asked of the same data;
//   6. the computation, at the request's clock and the session's usage lag;
//   7. the explanation header, when asked for.
// All along, the trace keeps what is settled: who called, for the journal (journal.ts), and the
// headers decided, which an error answer of a later step carries too.

import type { IncomingHttpHeaders } from 'node:http'
import type { CachedAnswer } from '../answer-cache.js'
import type { Lag } from '../data/lag.js'
import { existenceKey, settledUntil } from '../data/source.js'
import type { KeyOwner } from '../data/world.js'
import { ApiError, invalidArgument } from '../errors.js'
import { faultDecision, type FaultDecision } from '../mock/faults.js'
import type { Session } from '../mock/sessions.js'
import { formatUtc } from '../time.js'
import { headerJson } from '../usage/explain.js'
import { authenticate, authenticateKey } from './auth.js'
import { accountOf, type AppContext } from './context.js'
import { journalDraft, type JournalDraft, type RequestLine } from './journal.js'
import { readMockHeaders, type MockHeaders } from './mock-headers.js'
import type { Call, Operation, WindowedOperation } from './operation.js'

/** A request as the pipeline reads it. */
export interface PipelineRequest extends RequestLine {
  /** The query string as qs parsed it, or the error its parsing was refused with (step 4's 400). */
  query: Record<string, unknown> | ApiError
  /** A POST's body as text. */
  body: string | undefined
  headers: IncomingHttpHeaders
  session: Session
}

/** What the pipeline has settled so far, kept when a later step throws. */
export interface Trace {
  journal: JournalDraft
  /** Headers to send, in order: with the answer, or with the error a later step throws. */
  headers: Record<string, string>
}

export function startTrace(req: PipelineRequest): Trace {
  return { journal: journalDraft(req), headers: {} }
}

/** An answer to send. With `release`, the body is lent (json-bytes.ts): call it once it has been sent. */
export interface PipelineResult {
  status: number
  /** In the order they are to be written. */
  headers: Record<string, string>
  body: Buffer
  release?: () => void
}

/** [gw] a POST body is JSON whatever its content type; an empty body is an empty message. */
function jsonBodyOf(text: string | undefined): unknown {
  if (text === undefined || text.trim() === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw invalidArgument(`the body is not JSON: ${(err as Error).message}`)
  }
}

/** Step 2: the x-mock-status / x-mock-delay-ms headers, else the session's fault rules. */
function faultOf(req: PipelineRequest, mock: MockHeaders): FaultDecision | null {
  if (mock.status !== undefined || mock.delayMs !== undefined) return faultDecision(mock.status, mock.delayMs ?? 0)
  return req.session.faults.decide(req.path, req.params.account_id ?? '')
}

/** Step 3: who is calling; the journal learns it at once, whatever a later step decides. */
function authenticateCaller(ctx: AppContext, req: PipelineRequest, journal: JournalDraft): KeyOwner {
  const { store } = req.session
  const { authorization } = req.headers
  const pathAccount = req.params.account_id
  const owner =
    pathAccount === undefined
      ? authenticateKey(store, ctx.config.auth, authorization)
      : authenticate(store, ctx.config.auth, authorization, pathAccount)
  journal.keyId = owner.keyId
  journal.account ??= owner.account
  return owner
}

/** Step 4: the operation's parameters; a query string the parser refused is the 400 here. */
function parameters<Q>(op: Operation<Q>, req: PipelineRequest): { query: Q; ignored: string[] } {
  if (req.query instanceof ApiError) throw req.query
  return op.parse({ query: req.query, body: op.method === 'POST' ? jsonBodyOf(req.body) : undefined })
}

/**
 * Step 5's key: everything the answer depends on. A session's store in its start-up state has
 * version 0, so sessions that changed nothing share their answers.
 */
function cacheKey<Q>(op: WindowedOperation<Q>, call: Call<Q>, version: number, lag: Lag | undefined): string {
  const { fromMs, toMs } = op.window(call.query)
  const exists = existenceKey(call.account, fromMs, toMs, call.nowMs, lag)
  return `${op.name}|${call.owner.account}|${version}|${exists}|${op.identity(call.query)}|${op.varies?.(call) ?? ''}`
}

/** Steps 5 and 6: the kept answer, or a computed one (kept when `key` is given). */
function answerOf<Q>(
  ctx: AppContext,
  op: Operation<Q>,
  call: Call<Q>,
  key: string | undefined,
): { answer: CachedAnswer; hit: boolean; release?: () => void } {
  const kept = key === undefined ? undefined : ctx.cache.get(key)
  if (kept) return { answer: kept, hit: true }
  const stats = { records: 0 }
  const { body, rows, release } = op.answer({ ...call, engine: { ...call.engine, stats } })
  if (key === undefined) return { answer: { body, records: stats.records, rows }, hit: false, release }
  // The cache keeps a copy of its own: a lent body's memory goes to the next answer.
  const answer = { body: release ? Buffer.from(body) : body, records: stats.records, rows }
  release?.()
  ctx.cache.set(key, answer)
  return { answer, hit: false }
}

export async function runOperation<Q>(
  ctx: AppContext,
  op: Operation<Q>,
  req: PipelineRequest,
  trace: Trace,
): Promise<PipelineResult> {
  const { session } = req
  const { headers } = trace
  const mock = readMockHeaders(req.headers)
  const fault = faultOf(req, mock)
  if (fault) {
    if (fault.delayMs > 0) await ctx.sleep(fault.delayMs)
    if (fault.error) throw fault.error
  }
  const owner = authenticateCaller(ctx, req, trace.journal)
  const { query, ignored } = parameters(op, req)
  if (ignored.length > 0) headers['x-mock-ignored-params'] = ignored.join(',')

  const account = accountOf(ctx.config, session, owner.account)
  const nowMs = mock.now ?? session.clock.now()
  const { lag } = session
  const call: Call<Q> = {
    account,
    owner,
    query,
    nowMs,
    engine: { sums: ctx.sums, lag },
    worldStartMs: ctx.world.startMs,
  }
  const windowed = op.window !== undefined
  const cacheOn = windowed && ctx.config.cacheMb > 0
  const key = cacheOn ? cacheKey(op, call, session.store.version, lag) : undefined
  // [ours] usage before this instant is final; after it, it may still be arriving.
  const until = windowed ? settledUntil(account, nowMs, lag) : Infinity
  if (until !== Infinity) headers['x-mock-settled-until'] = formatUtc(until)
  const { answer, hit, release } = answerOf(ctx, op, call, key)

  // Step 7. The explanation is the request's own (its clock, its ignored parameters) even when
  // the answer was kept; what computing it counted comes with the answer.
  if (mock.explain) {
    const explanation = {
      session: session.name,
      ...op.explain(query, nowMs),
      ...(lag ? { usageLag: lag.text } : {}),
      ignoredParams: ignored,
      records: answer.records,
      rows: answer.rows,
    }
    headers['x-mock-explain'] = headerJson({ ...explanation, cache: !cacheOn ? 'off' : hit ? 'hit' : 'miss' })
  }
  headers['content-type'] = 'application/json; charset=utf-8'
  return { status: 200, headers, body: answer.body, ...(release ? { release } : {}) }
}
