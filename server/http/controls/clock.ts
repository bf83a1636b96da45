// The mock's clock: GET /_mock/clock, PUT {"now": ...} to pin it, DELETE to return to the
// configured clock (NOW, else the wall clock).

import type { FastifyRequest } from 'fastify'
import { invalidArgument } from '../../errors.js'
import { formatUtc, parseRfc3339 } from '../../time.js'
import type { AppContext } from '../context.js'
import type { RouteSpec } from '../routes.js'
import { jsonBody } from './body.js'

export function clockBody(ctx: AppContext) {
  return { now: formatUtc(ctx.clock.now()), source: ctx.clock.source() }
}

export function clockControls(ctx: AppContext): RouteSpec[] {
  return [
    { method: 'GET', url: '/_mock/clock', handler: async () => clockBody(ctx) },
    {
      method: 'PUT',
      url: '/_mock/clock',
      handler: async (request: FastifyRequest) => {
        const body = jsonBody(request) as { now?: unknown } | null
        const instant = typeof body?.now === 'string' ? parseRfc3339(body.now) : null
        if (!instant) throw invalidArgument('the body must be {"now": "<RFC 3339 timestamp>"}')
        ctx.clock.pin(instant.ms)
        return clockBody(ctx)
      },
    },
    {
      method: 'DELETE',
      url: '/_mock/clock',
      handler: async () => {
        ctx.clock.unpin()
        return clockBody(ctx)
      },
    },
  ] as RouteSpec[]
}
