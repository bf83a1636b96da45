// The real API's routes: glue only. Each route hands its request to the pipeline
// (pipeline/pipeline.ts: faults, authentication, parameters, the answer cache, the computation,
// the explanation) and writes what it answers; the journal hook (journal.ts) records it.

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../pipeline/context.js'
import type { Operation } from '../pipeline/operation.js'
import { apiOperations } from '../pipeline/operations.js'
import { runOperation, startTrace, type PipelineRequest } from '../pipeline/pipeline.js'
import './fastify-types.js'
import { requestLine } from './journal.js'
import type { RouteSpec } from './routes.js'
import { sessionOf } from './sessions.js'

type Request = FastifyRequest<{ Params: { account_id?: string } }>

function pipelineRequest(request: Request): PipelineRequest {
  return {
    ...requestLine(request),
    body: typeof request.body === 'string' ? request.body : undefined,
    headers: request.headers,
    session: sessionOf(request),
  }
}

function apiRoute<Q>(ctx: AppContext, url: string, op: Operation<Q>): RouteSpec {
  const rateLimit = ctx.config.rateLimit
  return {
    method: op.method ?? 'GET',
    url,
    options: {
      config: {
        journal: true,
        ...(rateLimit ? { rateLimit: { max: rateLimit.max, timeWindow: rateLimit.windowMs } } : {}),
      },
    },
    handler: async (request: Request, reply: FastifyReply) => {
      const req = pipelineRequest(request)
      const trace = startTrace(req)
      request.mockJournal = trace.journal
      let result
      try {
        result = await runOperation(ctx, op, req, trace)
      } catch (err) {
        void reply.headers(trace.headers)
        throw err
      }
      // Once the socket has taken the body (Node emits finish then), its memory is reused.
      if (result.release) reply.raw.once('finish', result.release)
      return reply.code(result.status).headers(result.headers).send(result.body)
    },
  } as RouteSpec
}

export function apiRoutes(ctx: AppContext): RouteSpec[] {
  const ops = apiOperations(ctx.config)
  return [
    apiRoute(ctx, '/v1/accounts/:account_id/billingUsage', ops.billingUsage),
    apiRoute(ctx, '/v1/accounts/:account_id/billing/summary', ops.summary),
    apiRoute(ctx, '/v1/accounts/:account_id/accountUsageFilterOptions', ops.filterOptions),
    // The usageCosts:query path's colon is literal (Fastify's "::").
    apiRoute(ctx, '/v1/accounts/:account_id/usageCosts::query', ops.usageCosts),
    apiRoute(ctx, '/v1/accounts', ops.listAccounts),
    apiRoute(ctx, '/v1/accounts/:account_id', ops.getAccount),
  ]
}
