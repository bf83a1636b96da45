// The session's usage lag (data/lag.ts): GET /_mock/usage-lag, PUT {"usageLag": "2h/26h"} to
// set it, DELETE to return to the start-up one (USAGE_LAG). POST /_mock/reset also returns to it.

import type { FastifyRequest } from 'fastify'
import { parseUsageLag } from '../../data/lag.js'
import { invalidArgument } from '../../errors.js'
import type { Session } from '../../mock/sessions.js'
import type { RouteSpec } from '../routes.js'
import { sessionOf } from '../sessions.js'
import { jsonBody } from './body.js'

export function usageLagBody(session: Session) {
  const { lag, source } = session.usageLag
  return { usageLag: lag.text, source }
}

export function usageLagControls(): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/_mock/usage-lag',
      handler: async (request: FastifyRequest) => usageLagBody(sessionOf(request)),
    },
    {
      method: 'PUT',
      url: '/_mock/usage-lag',
      handler: async (request: FastifyRequest) => {
        const body = jsonBody(request) as { usageLag?: unknown } | null
        const text = body?.usageLag
        if (typeof text !== 'string')
          throw invalidArgument('the body must be {"usageLag": "<delay>/<settle>"} or {"usageLag": "0"}')
        let lag
        try {
          lag = parseUsageLag(text)
        } catch (err) {
          throw invalidArgument(`invalid usageLag ${JSON.stringify(text)}: ${(err as Error).message}`)
        }
        const session = sessionOf(request)
        session.setUsageLag(lag)
        return usageLagBody(session)
      },
    },
    {
      method: 'DELETE',
      url: '/_mock/usage-lag',
      handler: async (request: FastifyRequest) => {
        const session = sessionOf(request)
        session.setUsageLag(null)
        return usageLagBody(session)
      },
    },
  ] as RouteSpec[]
}
