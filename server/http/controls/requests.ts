// The journal of real-API requests: GET /_mock/requests (newest first, filtered), DELETE.

import type { FastifyRequest } from 'fastify'
import { invalidArgument } from '../../errors.js'
import { readControlParams, scalar } from '../../usage/params.js'
import type { AppContext } from '../context.js'
import { queryOf } from '../querystring.js'
import type { RouteSpec } from '../routes.js'

export function requestControls(ctx: AppContext): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/_mock/requests',
      handler: async (request: FastifyRequest) => {
        const params = readControlParams(queryOf(request), ['path', 'account', 'limit'])
        const limitText = scalar(params, 'limit')
        const limit = limitText === undefined ? undefined : Number(limitText)
        if (limit !== undefined && !(/^\d+$/.test(limitText as string) && Number.isSafeInteger(limit)))
          throw invalidArgument('limit must be a non-negative integer')
        return {
          requests: ctx.journal.list({ path: scalar(params, 'path'), account: scalar(params, 'account'), limit }),
        }
      },
    },
    {
      method: 'DELETE',
      url: '/_mock/requests',
      handler: async () => {
        const cleared = ctx.journal.size
        ctx.journal.clear()
        return { cleared }
      },
    },
  ] as RouteSpec[]
}
