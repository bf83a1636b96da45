// POST /_mock/reset: the request's session as at start-up: records, accounts, clock, usage lag,
// journal, faults and rate limits. Other sessions are left as they are.

import type { FastifyRequest } from 'fastify'
import type { RouteSpec } from '../routes.js'
import { sessionOf } from '../sessions.js'
import { clockBody } from './clock.js'

export function resetControls(): RouteSpec[] {
  return [
    {
      method: 'POST',
      url: '/_mock/reset',
      handler: async (request: FastifyRequest) => {
        const session = sessionOf(request)
        session.reset()
        return { status: 'reset', ...clockBody(session.clock) }
      },
    },
  ] as RouteSpec[]
}
