// GET /v1/accounts/{account_id}/billingUsage (Gateway_GetAccountUsage): glue only.
// Authentication comes before parameters [contract 1.1].

import type { FastifyReply, FastifyRequest } from 'fastify'
import { computeBillingUsage } from '../usage/billing-usage.js'
import { parseUsageQuery } from '../usage/query.js'
import { authenticate } from './auth.js'
import { accountOf, type AppContext } from './context.js'
import { queryError } from './querystring.js'
import type { RouteSpec } from './routes.js'

type Request = FastifyRequest<{ Params: { account_id: string } }>

export function usageRoutes(ctx: AppContext): RouteSpec[] {
  const options = { strictParams: ctx.config.strictParams, applyFilters: ctx.config.filters === 'apply' }
  return [
    {
      method: 'GET',
      url: '/v1/accounts/:account_id/billingUsage',
      handler: async (request: Request, reply: FastifyReply) => {
        const owner = authenticate(ctx.keys, request.headers.authorization, request.params.account_id)
        const malformed = queryError(request.query)
        if (malformed) throw malformed
        const { query, ignored } = parseUsageQuery(request.query as Record<string, unknown>, options)
        if (ignored.length > 0) reply.header('x-mock-ignored-params', ignored.join(','))
        return computeBillingUsage(accountOf(ctx, owner.account), query, ctx.now())
      },
    } as RouteSpec,
  ]
}
