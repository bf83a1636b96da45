// The real API's operations: glue only. Each authenticates (before parameters [contract 1.1]),
// parses its parameters with the pure rules, lists ignored parameters in x-mock-ignored-params,
// and computes its body from the account's records at the current clock.

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { WorldAccount } from '../data/world.js'
import { computeBillingUsage } from '../usage/billing-usage.js'
import { computeFilterOptions } from '../usage/filter-options.js'
import { parseUsageQuery } from '../usage/query.js'
import { computeBillingSummary, parseSummaryQuery } from '../usage/summary.js'
import { authenticate } from './auth.js'
import { accountOf, type AppContext } from './context.js'
import { queryError } from './querystring.js'
import type { RouteSpec } from './routes.js'

type Request = FastifyRequest<{ Params: { account_id: string } }>
type Operation = (account: WorldAccount, query: Record<string, unknown>, nowMs: number) => { body: unknown; ignored: string[] }

function apiRoute(ctx: AppContext, url: string, operation: Operation): RouteSpec {
  return {
    method: 'GET',
    url,
    handler: async (request: Request, reply: FastifyReply) => {
      const owner = authenticate(ctx.keys, request.headers.authorization, request.params.account_id)
      const malformed = queryError(request.query)
      if (malformed) throw malformed
      const { body, ignored } = operation(accountOf(ctx, owner.account), request.query as Record<string, unknown>, ctx.now())
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
