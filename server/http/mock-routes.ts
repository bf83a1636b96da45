// The mock's own controls, under /_mock/ so they never mix with the real API's names.

import type { FastifyReply, FastifyRequest } from 'fastify'
import { invalidArgument, notFound } from '../errors.js'
import { recordToFixture, STREAMS, type Stream, type UsageRecord } from '../data/records.js'
import { recordsIn } from '../data/source.js'
import { VERSION } from '../paths.js'
import { formatUtc } from '../time.js'
import { MAX_WINDOW_MS } from '../usage/query.js'
import { parseRfc3339 } from '../time.js'
import type { AppContext } from './context.js'
import { queryError } from './querystring.js'
import type { RouteSpec } from './routes.js'

type Query = Record<string, unknown>

function oneString(query: Query, name: string): string | undefined {
  const v = query[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw invalidArgument(`${name} must be given once, as ${name}=<value>`)
  return v
}

function requiredTime(query: Query, name: string): number {
  const text = oneString(query, name)
  if (!text) throw invalidArgument(`${name} is required`)
  const instant = parseRfc3339(text)
  if (!instant || instant.subNs !== 0) throw invalidArgument(`invalid ${name} ${JSON.stringify(text)}: must be an RFC 3339 timestamp with at most millisecond precision`)
  return instant.ms
}

export function mockRoutes(ctx: AppContext): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/_mock/health',
      handler: async () => ({ status: 'ok', version: VERSION, seed: ctx.world.seed, now: formatUtc(ctx.now()) }),
    },
    {
      method: 'GET',
      url: '/_mock/accounts',
      // Every account with its keys and secrets: the mock's data is synthetic, and test authors need them.
      handler: async () => ({
        accounts: [...ctx.world.accounts.values()].map(a => ({
          account: a.account,
          synthetic: a.synthetic !== undefined,
          keys: a.keys,
        })),
      }),
    },
    {
      method: 'GET',
      url: '/_mock/records',
      // Raw records of a window as NDJSON in the fixture format, synthetic ones included, so
      // anyone can recompute an answer independently (or load them back as fixtures).
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const malformed = queryError(request.query)
        if (malformed) throw malformed
        const query = request.query as Query
        const account = oneString(query, 'account')
        if (!account) throw invalidArgument('account is required')
        const streamText = oneString(query, 'stream')
        if (streamText !== undefined && !(STREAMS as string[]).includes(streamText))
          throw invalidArgument(`invalid stream ${JSON.stringify(streamText)}: must be one of ${STREAMS.join(', ')}`)
        const from = requiredTime(query, 'startTime')
        const to = requiredTime(query, 'endTime')
        if (from >= to) throw invalidArgument('startTime must be before endTime')
        if (to - from > MAX_WINDOW_MS) throw invalidArgument('endTime must not be more than 31 days after startTime')
        const acct = ctx.world.accounts.get(account)
        if (!acct) throw notFound(`account ${JSON.stringify(account)} not found`)
        const streams = streamText ? [streamText as Stream] : STREAMS
        const now = ctx.now()
        const records: UsageRecord[] = streams.flatMap(s => recordsIn(acct, s, from, to, now) as UsageRecord[])
        records.sort((a, b) => a.time - b.time) // stable: stream order, then series order
        const body = records.map(r => JSON.stringify(recordToFixture(r, formatUtc)) + '\n').join('')
        return reply.type('application/x-ndjson').send(body)
      },
    } as RouteSpec,
  ]
}
