// The session's fault rules: GET /_mock/faults (with their counters), PUT to install
// (replacing), DELETE.

import type { FastifyRequest } from 'fastify'
import { parseFaultRules } from '../../mock/faults.js'
import type { RouteSpec } from '../routes.js'
import { sessionOf } from '../sessions.js'
import { jsonBody } from './body.js'

export function faultControls(): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/_mock/faults',
      handler: async (request: FastifyRequest) => ({ rules: sessionOf(request).faults.list() }),
    },
    {
      method: 'PUT',
      url: '/_mock/faults',
      handler: async (request: FastifyRequest) => {
        const { faults } = sessionOf(request)
        faults.install(parseFaultRules(jsonBody(request)))
        return { rules: faults.list() }
      },
    },
    {
      method: 'DELETE',
      url: '/_mock/faults',
      handler: async (request: FastifyRequest) => {
        sessionOf(request).faults.clear()
        return { rules: [] }
      },
    },
  ] as RouteSpec[]
}
