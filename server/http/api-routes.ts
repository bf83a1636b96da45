// The real API's operations: glue only. Per request: injected faults and delays first (they
// stand for the network and the gateway), then authentication (before parameters [contract
// 1.1]), then the pure rules at the request's clock and the session's usage lag, answered from
// the answer cache when the same question was asked of the same data. Every request is
// journaled on response.

import type { FastifyReply, FastifyRequest } from 'fastify'
import { existenceKey, settledUntil } from '../data/source.js'
import { accountResource } from '../data/directory.js'
import type { KeyOwner, WorldAccount } from '../data/world.js'
import { invalidArgument } from '../errors.js'
import { faultDecision } from '../mock/faults.js'
import { formatUtc } from '../time.js'
import type { EngineOptions } from '../usage/aggregate.js'
import { billingUsageJson, type JsonAnswer } from '../usage/billing-usage.js'
import {
  explainFilterOptions,
  explainSummary,
  explainCosts,
  explainUsage,
  headerJson,
  rowsOf,
  type Explanation,
} from '../usage/explain.js'
import { listAccounts, masked, parseAccountsQuery, parseGetAccountQuery } from '../usage/accounts.js'
import { computeFilterOptions } from '../usage/filter-options.js'
import { parseUsageQuery, type UsageQuery } from '../usage/query.js'
import { computeBillingSummary, parseSummaryQuery } from '../usage/summary.js'
import { callerOf, parseCostsBody, queryUsageCosts } from '../usage/usage-costs.js'
import { authenticate, authenticateKey } from './auth.js'
import { accountOf, type AppContext } from './context.js'
import { sessionOf } from './sessions.js'
import { readMockHeaders } from './mock-headers.js'
import { parsedQuery, queryOf } from './querystring.js'
import type { RouteSpec } from './routes.js'

type Request = FastifyRequest<{ Params: { account_id?: string } }>

/** What an answer is computed for: the caller, its account, the parameters and the clock. */
export interface Call<Q> {
  account: WorldAccount
  owner: KeyOwner
  query: Q
  nowMs: number
  engine: EngineOptions
  worldStartMs: number
}

/** An operation: its parameters' meaning, the window they select, the answer and its explanation. */
interface Operation<Q> {
  name: string
  method?: 'GET' | 'POST'
  /** The parameters from the query string, or from the JSON body of a POST [gw]. */
  parse(input: { query: Record<string, unknown>; body: unknown }): { query: Q; ignored: string[] }
  /** The instants the answer reads, for the answer cache; an operation without one is not cached. */
  window?(query: Q): { fromMs: number; toMs: number }
  /** What the answer depends on besides the URL and the data (a POST's body, the caller's user). */
  varies?(call: Call<Q>): string
  answer(call: Call<Q>): JsonAnswer
  explain(query: Q, nowMs: number): Explanation
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The id of the API key that authenticated the request, for the journal. */
    mockKeyId?: string
    /** The account the key reached, for the journal of a path without one (GET /v1/accounts). */
    mockAccount?: string
  }
  interface FastifyContextConfig {
    /** Requests to this route go into the journal. */
    journal?: boolean
  }
}

/** A body computed as objects, as the server sends it. */
const asJson = (body: unknown): JsonAnswer => ({ body: Buffer.from(JSON.stringify(body)), rows: rowsOf(body) })

/** [gw] a POST body is JSON whatever its content type; an empty body is an empty message. */
function jsonBodyOf(request: FastifyRequest): unknown {
  const text = typeof request.body === 'string' ? request.body : ''
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch (err) {
    throw invalidArgument(`the body is not JSON: ${(err as Error).message}`)
  }
}

function apiRoute<Q>(ctx: AppContext, url: string, op: Operation<Q>): RouteSpec {
  const rateLimit = ctx.config.rateLimit
  const cacheOn = ctx.config.cacheMb > 0 && op.window !== undefined
  const method = op.method ?? 'GET'
  return {
    method,
    url,
    options: {
      config: {
        journal: true,
        ...(rateLimit ? { rateLimit: { max: rateLimit.max, timeWindow: rateLimit.windowMs } } : {}),
      },
    },
    handler: async (request: Request, reply: FastifyReply) => {
      const session = sessionOf(request)
      const headers = readMockHeaders(request.headers)
      const pathAccount = request.params.account_id
      const fault =
        headers.status !== undefined || headers.delayMs !== undefined
          ? faultDecision(headers.status, headers.delayMs ?? 0)
          : session.faults.decide(request.url.split('?')[0] as string, pathAccount ?? '')
      if (fault && fault.delayMs > 0) await ctx.sleep(fault.delayMs)
      if (fault?.error) throw fault.error
      const { authorization } = request.headers
      const owner =
        pathAccount === undefined
          ? authenticateKey(session.store, ctx.config.auth, authorization)
          : authenticate(session.store, ctx.config.auth, authorization, pathAccount)
      request.mockKeyId = owner.keyId
      request.mockAccount = owner.account
      const { query, ignored } = op.parse({
        query: queryOf(request),
        body: method === 'POST' ? jsonBodyOf(request) : undefined,
      })
      if (ignored.length > 0) reply.header('x-mock-ignored-params', ignored.join(','))
      const account = accountOf(ctx.config, session, owner.account)
      const nowMs = headers.now ?? session.clock.now()
      const { lag } = session
      const call: Call<Q> = {
        account,
        owner,
        query,
        nowMs,
        engine: { sums: ctx.sums, lag },
        worldStartMs: ctx.world.startMs,
      }
      let key: string | undefined
      if (cacheOn && op.window) {
        const { fromMs, toMs } = op.window(query)
        // Everything the answer depends on; a session's store in its start-up state has version 0,
        // so sessions that changed nothing share their answers.
        key = `${op.name}|${owner.account}|${session.store.version}|${existenceKey(account, fromMs, toMs, nowMs, lag)}|${request.url}|${op.varies?.(call) ?? ''}`
      }
      // [ours] usage before this instant is final; after it, it may still be arriving.
      const until = op.window ? settledUntil(account, nowMs, lag) : Infinity
      if (until !== Infinity) reply.header('x-mock-settled-until', formatUtc(until))
      let answer = key === undefined ? undefined : ctx.cache.get(key)
      const hit = answer !== undefined
      if (!answer) {
        const stats = { records: 0 }
        const { body, rows, release } = op.answer({ ...call, engine: { stats, sums: ctx.sums, lag } })
        if (key !== undefined) {
          // The cache keeps a copy of its own: a lent body's memory goes to the next answer.
          answer = { body: release ? Buffer.from(body) : body, records: stats.records, rows }
          release?.()
          ctx.cache.set(key, answer)
        } else {
          answer = { body, records: stats.records, rows }
          // Once the socket has taken the body (Node emits finish then), its memory is reused.
          if (release) reply.raw.once('finish', release)
        }
      }
      if (headers.explain) {
        const explanation = {
          session: session.name,
          ...op.explain(query, nowMs),
          ...(lag ? { usageLag: lag.text } : {}),
          ignoredParams: ignored,
          records: answer.records,
          rows: answer.rows,
        }
        reply.header('x-mock-explain', headerJson({ ...explanation, cache: !cacheOn ? 'off' : hit ? 'hit' : 'miss' }))
      }
      return reply.type('application/json; charset=utf-8').send(answer.body)
    },
  } as RouteSpec
}

export function apiRoutes(ctx: AppContext): RouteSpec[] {
  const strictParams = ctx.config.strictParams
  const applyFilters = ctx.config.filters === 'apply'
  const usageWindow = (q: UsageQuery) => ({ fromMs: q.fromMs, toMs: q.toMs })
  return [
    apiRoute(ctx, '/v1/accounts/:account_id/billingUsage', {
      name: 'Gateway_GetAccountUsage',
      parse: ({ query }) => parseUsageQuery(query, { strictParams, applyFilters }),
      window: usageWindow,
      answer: c => billingUsageJson(c.account, c.query, c.nowMs, c.engine),
      explain: (q, now) => explainUsage(q, now, applyFilters),
    }),
    apiRoute(ctx, '/v1/accounts/:account_id/billing/summary', {
      name: 'Gateway_GetBillingSummary',
      parse: ({ query }) => parseSummaryQuery(query, strictParams),
      window: q => ({ fromMs: q.startDay, toMs: q.endDay }),
      answer: c => asJson(computeBillingSummary(c.account, c.query, c.nowMs, c.engine)),
      explain: explainSummary,
    }),
    apiRoute(ctx, '/v1/accounts/:account_id/accountUsageFilterOptions', {
      name: 'Gateway_GetAccountUsageFilterOptions',
      parse: ({ query }) => parseUsageQuery(query, { strictParams, fields: ['start_time', 'end_time', 'usage_type'] }),
      window: usageWindow,
      answer: c => asJson(computeFilterOptions(c.account, c.query, c.nowMs, c.engine)),
      explain: explainFilterOptions,
    }),
    // The usageCosts:query path's colon is literal (Fastify's "::").
    apiRoute(ctx, '/v1/accounts/:account_id/usageCosts::query', {
      name: 'Gateway_QueryUsageCosts',
      method: 'POST',
      parse: ({ body }) => parseCostsBody(body),
      window: q => ({ fromMs: q.fromMs, toMs: q.toMs }),
      // The body's meaning, the caller's user (SELF scope counts that user's keys), and the
      // clock: evaluationTime is the clock's now.
      varies: c => `${c.query.binding}|${c.query.offset}|${callerOf(c.account, c.owner.keyId).user}|${c.nowMs}`,
      answer: c => asJson(queryUsageCosts(c.account, c.query, callerOf(c.account, c.owner.keyId), c.nowMs, c.engine)),
      explain: explainCosts,
    }),
    // [ours] a key sees exactly its own account: listing and getting it are not cached (cheap).
    apiRoute(ctx, '/v1/accounts', {
      name: 'Gateway_ListAccounts',
      parse: ({ query }) => parseAccountsQuery(query, strictParams),
      answer: c => asJson(listAccounts([accountResource(c.account, c.worldStartMs)], c.query)),
      explain: (_q, now) => ({ now: formatUtc(now) }),
    }),
    apiRoute(ctx, '/v1/accounts/:account_id', {
      name: 'Gateway_GetAccount',
      parse: ({ query }) => parseGetAccountQuery(query, strictParams),
      answer: c => asJson(masked(accountResource(c.account, c.worldStartMs), c.query.fields)),
      explain: (_q, now) => ({ now: formatUtc(now) }),
    }),
  ]
}

/** The journal entry of a finished request to a journaled route. */
export function journalEntry(request: FastifyRequest, reply: FastifyReply) {
  return {
    id: String(request.id),
    time: formatUtc(Date.now()),
    method: request.method,
    path: request.url.split('?')[0] as string,
    query: parsedQuery(request),
    account: (request.params as { account_id?: string }).account_id ?? request.mockAccount ?? null,
    keyId: request.mockKeyId ?? null,
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 100) / 100,
  }
}
