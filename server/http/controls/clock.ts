// The session's clock: GET /_mock/clock, PUT {"now": ...} to pin it, DELETE to return to the
// configured clock (NOW, else the wall clock).

import type { FastifyRequest } from 'fastify'
import { invalidArgument } from '../../errors.js'
import type { Clock } from '../../mock/clock.js'
import { formatUtc, parseRfc3339 } from '../../time.js'
import type { RouteSpec } from '../routes.js'
import { sessionOf } from '../sessions.js'
import { jsonBody } from './body.js'

export function clockBody(clock: Clock) {
  return { now: formatUtc(clock.now()), source: clock.source() }
}

export function clockControls(): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/_mock/clock',
      handler: async (request: FastifyRequest) => clockBody(sessionOf(request).clock),
    },
    {
      method: 'PUT',
      url: '/_mock/clock',
      handler: async (request: FastifyRequest) => {
        const body = jsonBody(request) as { now?: unknown } | null
        const instant = typeof body?.now === 'string' ? parseRfc3339(body.now) : null
        if (!instant) throw invalidArgument('the body must be {"now": "<RFC 3339 timestamp>"}')
        const { clock } = sessionOf(request)
        clock.pin(instant.ms)
        return clockBody(clock)
      },
    },
    {
      method: 'DELETE',
      url: '/_mock/clock',
      handler: async (request: FastifyRequest) => {
        const { clock } = sessionOf(request)
        clock.unpin()
        return clockBody(clock)
      },
    },
  ] as RouteSpec[]
}
