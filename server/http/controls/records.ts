// GET /_mock/records: the raw records of a window as NDJSON in the fixture format, synthetic
// ones included, so anyone can recompute an answer independently (or load them back): as
// visible at the session's clock (or x-mock-now) with the session's usage lag, like the API.

import type { FastifyReply, FastifyRequest } from 'fastify'
import { invalidArgument, notFound } from '../../errors.js'
import { recordToFixture } from '../../data/fixture-entries.js'
import type { UsageRecord } from '../../model/records.js'
import { recordsIn, settledUntil } from '../../data/source.js'
import { allStreams, streamOf } from '../../streams/registry.js'
import { ceilMs, compareInstants, formatUtc } from '../../time.js'
import { readControlParams, requiredTime, scalar } from '../../usage/params.js'
import { longerThanAllowed, MAX_WINDOW_DAYS } from '../../usage/window.js'
import { readMockHeaders } from '../../pipeline/mock-headers.js'
import { queryOf } from '../querystring.js'
import type { RouteSpec } from '../routes.js'
import { sessionOf } from '../sessions.js'

export function recordControls(): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/_mock/records',
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const session = sessionOf(request)
        const params = readControlParams(queryOf(request), ['account', 'stream', 'startTime', 'endTime'])
        const account = scalar(params, 'account')
        if (!account) throw invalidArgument('account is required')
        const kinds = allStreams().map(s => s.kind)
        const streamText = scalar(params, 'stream')
        const only = streamText === undefined ? undefined : streamOf(streamText)
        if (streamText !== undefined && !only)
          throw invalidArgument(`invalid stream ${JSON.stringify(streamText)}: must be one of ${kinds.join(', ')}`)
        const start = requiredTime(params, 'startTime')
        const end = requiredTime(params, 'endTime')
        if (compareInstants(start, end) >= 0) throw invalidArgument('startTime must be before endTime')
        if (longerThanAllowed(start, end))
          throw invalidArgument(`endTime must not be more than ${MAX_WINDOW_DAYS} days after startTime`)
        const acct = session.store.account(account)
        if (!acct) throw notFound(`account ${JSON.stringify(account)} not found`)
        const nowMs = readMockHeaders(request.headers).now ?? session.clock.now()
        const window = { fromMs: ceilMs(start), toMs: ceilMs(end), nowMs, lag: session.lag }
        const until = settledUntil(acct, nowMs, session.lag)
        if (until !== Infinity) reply.header('x-mock-settled-until', formatUtc(until))
        const lines: { time: number; line: string }[] = []
        for (const spec of only ? [only] : allStreams())
          for (const r of recordsIn<UsageRecord>(acct, spec, window))
            lines.push({ time: r.time, line: JSON.stringify(recordToFixture(spec, r, formatUtc)) + '\n' })
        lines.sort((a, b) => a.time - b.time) // stable: stream order, then series order
        return reply.type('application/x-ndjson').send(lines.map(l => l.line).join(''))
      },
    },
  ] as RouteSpec[]
}
