// The session's journal of real-API requests: GET /_mock/requests (newest first, filtered),
// GET /_mock/requests/count (assert on a number without parsing the journal), DELETE.

import type { FastifyRequest } from 'fastify'
import { invalidArgument } from '../../errors.js'
import type { JournalFilter } from '../../mock/journal.js'
import { readControlParams, scalar, type Params } from '../../usage/params.js'
import { queryOf } from '../querystring.js'
import type { RouteSpec } from '../routes.js'
import { sessionOf } from '../sessions.js'

function integerParam(params: Params, name: string, min: number, max: number): number | undefined {
  const text = scalar(params, name)
  if (text === undefined) return undefined
  const n = Number(text)
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw invalidArgument(`${name} must be an integer from ${min} to ${max}`)
  return n
}

/** path, account, method and status: the same filters for the list and the count. */
function filterOf(request: FastifyRequest, extra: string[] = []): { filter: JournalFilter; params: Params } {
  const params = readControlParams(queryOf(request), ['path', 'account', 'method', 'status', ...extra])
  const method = scalar(params, 'method')?.toUpperCase()
  const filter = {
    path: scalar(params, 'path'),
    account: scalar(params, 'account'),
    method,
    status: integerParam(params, 'status', 100, 599),
  }
  return { filter, params }
}

export function requestControls(): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/_mock/requests',
      handler: async (request: FastifyRequest) => {
        const { filter, params } = filterOf(request, ['limit'])
        const limit = integerParam(params, 'limit', 0, Number.MAX_SAFE_INTEGER)
        return { requests: sessionOf(request).journal.list({ ...filter, limit }) }
      },
    },
    {
      method: 'GET',
      url: '/_mock/requests/count',
      handler: async (request: FastifyRequest) => ({
        count: sessionOf(request).journal.count(filterOf(request).filter),
      }),
    },
    {
      method: 'DELETE',
      url: '/_mock/requests',
      handler: async (request: FastifyRequest) => {
        const { journal } = sessionOf(request)
        const cleared = journal.size
        journal.clear()
        return { cleared }
      },
    },
  ] as RouteSpec[]
}
