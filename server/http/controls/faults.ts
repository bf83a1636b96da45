// Fault rules: GET /_mock/faults (with their counters), PUT to install (replacing), DELETE.

import type { FastifyRequest } from 'fastify'
import { parseFaultRules } from '../../mock/faults.js'
import type { AppContext } from '../context.js'
import type { RouteSpec } from '../routes.js'
import { jsonBody } from './body.js'

export function faultControls(ctx: AppContext): RouteSpec[] {
  return [
    { method: 'GET', url: '/_mock/faults', handler: async () => ({ rules: ctx.faults.list() }) },
    {
      method: 'PUT',
      url: '/_mock/faults',
      handler: async (request: FastifyRequest) => {
        ctx.faults.install(parseFaultRules(jsonBody(request)))
        return { rules: ctx.faults.list() }
      },
    },
    {
      method: 'DELETE',
      url: '/_mock/faults',
      handler: async () => {
        ctx.faults.clear()
        return { rules: [] }
      },
    },
  ] as RouteSpec[]
}
