// The real API's operations: glue only. Per request: injected faults and delays first (they
// stand for the network and the gateway), then authentication (before parameters [contract
// 1.1]), then the pure rules at the request's clock, answered from the answer cache when the
// same question was asked of the same data. Every request is journaled on response.

import type { FastifyReply, FastifyRequest } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'
import { existenceKey } from '../data/source.js'
import type { WorldAccount } from '../data/world.js'
import { faultDecision } from '../mock/faults.js'
import { formatUtc } from '../time.js'
import type { EngineOptions } from '../usage/aggregate.js'
import { billingUsageJson, type JsonAnswer } from '../usage/billing-usage.js'
import {
  explainFilterOptions,
  explainSummary,
  explainUsage,
  headerJson,
  rowsOf,
  type Explanation,
} from '../usage/explain.js'
import { computeFilterOptions } from '../usage/filter-options.js'
import { parseUsageQuery, type UsageQuery } from '../usage/query.js'
import { computeBillingSummary, parseSummaryQuery } from '../usage/summary.js'
import { authenticate } from './auth.js'
import { accountOf, type AppContext } from './context.js'
import { sessionOf } from './sessions.js'
import { readMockHeaders } from './mock-headers.js'
import { parsedQuery, queryOf } from './querystring.js'
import type { RouteSpec } from './routes.js'

type Request = FastifyRequest<{ Params: { account_id: string } }>

/** An operation: its parameters' meaning, the window they select, the answer and its explanation. */
interface Operation<Q> {
  name: string
  parse(raw: Record<string, unknown>): { query: Q; ignored: string[] }
  window(query: Q): { fromMs: number; toMs: number }
  answer(account: WorldAccount, query: Q, nowMs: number, engine: EngineOptions): JsonAnswer
  explain(query: Q, nowMs: number): Explanation
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The id of the API key that authenticated the request, for the journal. */
    mockKeyId?: string
  }
  interface FastifyContextConfig {
    /** Requests to this route go into the journal. */
    journal?: boolean
  }
}

/** A body computed as objects, as the server sends it. */
const asJson = (body: unknown): JsonAnswer => ({ body: Buffer.from(JSON.stringify(body)), rows: rowsOf(body) })

function apiRoute<Q>(ctx: AppContext, url: string, op: Operation<Q>): RouteSpec {
  const rateLimit = ctx.config.rateLimit
  const cacheOn = ctx.config.cacheMb > 0
  return {
    method: 'GET',
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
      const fault =
        headers.status !== undefined || headers.delayMs !== undefined
          ? faultDecision(headers.status, headers.delayMs ?? 0)
          : session.faults.decide(request.url.split('?')[0] as string, request.params.account_id)
      if (fault && fault.delayMs > 0) await sleep(fault.delayMs)
      if (fault?.error) throw fault.error
      const owner = authenticate(
        session.store,
        ctx.config.auth,
        request.headers.authorization,
        request.params.account_id,
      )
      request.mockKeyId = owner.keyId
      const { query, ignored } = op.parse(queryOf(request))
      if (ignored.length > 0) reply.header('x-mock-ignored-params', ignored.join(','))
      const account = accountOf(ctx.config, session, owner.account)
      const now = headers.now ?? session.clock.now()
      const { fromMs, toMs } = op.window(query)
      // Everything the answer depends on; a session's store in its start-up state has version 0,
      // so sessions that changed nothing share their answers.
      const key = `${op.name}|${owner.account}|${session.store.version}|${existenceKey(account, fromMs, toMs, now)}|${request.url}`
      let answer = ctx.cache.get(key)
      const hit = answer !== undefined
      if (!answer) {
        const stats = { records: 0 }
        const { body, rows, release } = op.answer(account, query, now, { stats, sums: ctx.sums })
        if (cacheOn) {
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
          ...op.explain(query, now),
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
      parse: raw => parseUsageQuery(raw, { strictParams, applyFilters }),
      window: usageWindow,
      answer: billingUsageJson,
      explain: (q, now) => explainUsage(q, now, applyFilters),
    }),
    apiRoute(ctx, '/v1/accounts/:account_id/billing/summary', {
      name: 'Gateway_GetBillingSummary',
      parse: raw => parseSummaryQuery(raw, strictParams),
      window: q => ({ fromMs: q.startDay, toMs: q.endDay }),
      answer: (...args) => asJson(computeBillingSummary(...args)),
      explain: explainSummary,
    }),
    apiRoute(ctx, '/v1/accounts/:account_id/accountUsageFilterOptions', {
      name: 'Gateway_GetAccountUsageFilterOptions',
      parse: raw => parseUsageQuery(raw, { strictParams, fields: ['start_time', 'end_time', 'usage_type'] }),
      window: usageWindow,
      answer: (...args) => asJson(computeFilterOptions(...args)),
      explain: explainFilterOptions,
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
    account: (request.params as { account_id?: string }).account_id ?? null,
    keyId: request.mockKeyId ?? null,
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 100) / 100,
  }
}
