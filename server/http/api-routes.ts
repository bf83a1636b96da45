// The real API's operations: glue only. Per request: injected faults and delays first (they
// stand for the network and the gateway), then authentication (before parameters [contract
// 1.1]), then the pure rules at the request's clock. Every request is journaled on response.

import type { FastifyReply, FastifyRequest } from 'fastify'
import { setTimeout as sleep } from 'node:timers/promises'
import type { WorldAccount } from '../data/world.js'
import { faultDecision } from '../mock/faults.js'
import { formatUtc } from '../time.js'
import { computeBillingUsage } from '../usage/billing-usage.js'
import { computeFilterOptions } from '../usage/filter-options.js'
import { parseUsageQuery } from '../usage/query.js'
import { computeBillingSummary, parseSummaryQuery } from '../usage/summary.js'
import { authenticate } from './auth.js'
import { accountOf, type AppContext } from './context.js'
import { readMockHeaders } from './mock-headers.js'
import { QUERY_ERROR, queryError } from './querystring.js'
import type { RouteSpec } from './routes.js'

type Request = FastifyRequest<{ Params: { account_id: string } }>
type Operation = (account: WorldAccount, query: Record<string, unknown>, nowMs: number) => { body: unknown; ignored: string[] }

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

function apiRoute(ctx: AppContext, url: string, operation: Operation): RouteSpec {
  const rateLimit = ctx.config.rateLimit
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
      const headers = readMockHeaders(request.headers)
      const fault =
        headers.status !== undefined || headers.delayMs !== undefined
          ? faultDecision(headers.status, headers.delayMs ?? 0)
          : ctx.faults.decide(request.url.split('?')[0] as string, request.params.account_id)
      if (fault && fault.delayMs > 0) await sleep(fault.delayMs)
      if (fault?.error) throw fault.error
      const owner = authenticate(ctx.store, ctx.config.auth, request.headers.authorization, request.params.account_id)
      request.mockKeyId = owner.keyId
      const malformed = queryError(request.query)
      if (malformed) throw malformed
      const now = headers.now ?? ctx.clock.now()
      const { body, ignored } = operation(accountOf(ctx, owner.account), request.query as Record<string, unknown>, now)
      if (ignored.length > 0) reply.header('x-mock-ignored-params', ignored.join(','))
      return body
    },
  } as RouteSpec
}

export function apiRoutes(ctx: AppContext): RouteSpec[] {
  const strictParams = ctx.config.strictParams
  return [
    // Gateway_GetAccountUsage
    apiRoute(ctx, '/v1/accounts/:account_id/billingUsage', (account, raw, now) => {
      const { query, ignored } = parseUsageQuery(raw, { strictParams, applyFilters: ctx.config.filters === 'apply' })
      return { body: computeBillingUsage(account, query, now), ignored }
    }),
    // Gateway_GetBillingSummary
    apiRoute(ctx, '/v1/accounts/:account_id/billing/summary', (account, raw, now) => {
      const { query, ignored } = parseSummaryQuery(raw, strictParams)
      return { body: computeBillingSummary(account, query, now), ignored }
    }),
    // Gateway_GetAccountUsageFilterOptions
    apiRoute(ctx, '/v1/accounts/:account_id/accountUsageFilterOptions', (account, raw, now) => {
      const { query, ignored } = parseUsageQuery(raw, { strictParams, fields: ['start_time', 'end_time', 'usage_type'] })
      return { body: computeFilterOptions(account, query, now), ignored }
    }),
  ]
}

/** The journal entry of a finished request to a journaled route. */
export function journalEntry(request: FastifyRequest, reply: FastifyReply) {
  const query = request.query as Record<string | symbol, unknown> | undefined
  return {
    id: String(request.id),
    time: formatUtc(Date.now()),
    method: request.method,
    path: request.url.split('?')[0] as string,
    query: query && !(QUERY_ERROR in query) ? query : null,
    account: (request.params as { account_id?: string }).account_id ?? null,
    keyId: request.mockKeyId ?? null,
    status: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 100) / 100,
  }
}
