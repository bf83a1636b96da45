// Sessions: GET /_mock/sessions lists them (the default one first); DELETE
// /_mock/sessions/{name} drops one. Every other control acts on the request's own session.

import type { FastifyRequest } from 'fastify'
import { checkSessionName, type Session } from '../../mock/sessions.js'
import { formatUtc } from '../../time.js'
import type { AppContext } from '../../pipeline/context.js'
import type { RouteSpec } from '../routes.js'

function describe(session: Session) {
  return {
    name: session.name,
    created: formatUtc(session.createdMs),
    lastUsed: formatUtc(session.lastUsedMs),
    requests: session.requests,
    runtimeRecords: session.store.addedRecords(),
  }
}

export function sessionControls(ctx: AppContext): RouteSpec[] {
  return [
    { method: 'GET', url: '/_mock/sessions', handler: async () => ({ sessions: ctx.sessions.list().map(describe) }) },
    {
      method: 'DELETE',
      url: '/_mock/sessions/:name',
      // Idempotent: dropping a session that does not exist (or expired) answers dropped: false.
      handler: async (request: FastifyRequest<{ Params: { name: string } }>) => {
        const { name } = request.params
        return { name, dropped: ctx.sessions.drop(checkSessionName(name, 'the path')) }
      },
    },
  ] as RouteSpec[]
}
