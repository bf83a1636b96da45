// The mock's own controls, under /_mock/ so they never mix with the real API's names.
// Bodies are read as text here so that problems can name the line they are on.

import { timingSafeEqual, createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { invalidArgument, notFound, unauthenticated } from '../errors.js'
import { FixtureError, parseFixtures, type ParsedFixtures } from '../data/fixtures.js'
import { recordToFixture, STREAMS, type Stream, type UsageRecord } from '../data/records.js'
import { recordsIn } from '../data/source.js'
import { parseFaultRules } from '../mock/faults.js'
import { VERSION } from '../paths.js'
import { formatUtc, parseRfc3339 } from '../time.js'
import { MAX_WINDOW_MS } from '../usage/query.js'
import { resetContext, type AppContext } from './context.js'
import { queryError } from './querystring.js'
import { registerRoutes, type RouteSpec } from './routes.js'

type Query = Record<string, unknown>
type Params = { account_id: string }

/** Uploads of records may be large; the real API's routes keep Fastify's default. */
const BODY_LIMIT = 64 * 1024 * 1024

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

function jsonBody(request: FastifyRequest): unknown {
  const text = typeof request.body === 'string' ? request.body : ''
  try {
    return JSON.parse(text)
  } catch (err) {
    throw invalidArgument(`the body must be JSON: ${(err as Error).message}`)
  }
}

/**
 * Loads fixture-format entries from a body (NDJSON, a JSON array, {"accounts": [...]} or one
 * object), all or nothing; any problem, in the entries or with existing keys, is one 400.
 */
function loadBody(ctx: AppContext, request: FastifyRequest, onlyAccount?: string) {
  const text = typeof request.body === 'string' ? request.body : ''
  const first = text.trimStart()[0]
  const ndjson = String(request.headers['content-type'] ?? '').includes('ndjson') || (first !== '[' && !/^\s*\{\s*"accounts"\s*:/.test(text))
  const knownAccounts = new Set(ctx.store.accounts().map(a => a.account))
  let parsed: ParsedFixtures
  try {
    parsed = parseFixtures([{ path: 'body', text, format: ndjson ? 'ndjson' : 'json' }], knownAccounts, onlyAccount)
    ctx.store.load(parsed)
  } catch (err) {
    if (err instanceof FixtureError) throw invalidArgument(`nothing was added: ${err.problems.join('; ')}`)
    throw err
  }
  const added = Object.fromEntries(STREAMS.map(s => [s, parsed.records.filter(r => r.kind === s).length]))
  return { accounts: parsed.accounts.map(a => a.account), records: added }
}

function clockBody(ctx: AppContext) {
  return { now: formatUtc(ctx.clock.now()), source: ctx.clock.source() }
}

const digest = (s: string) => createHash('sha256').update(s).digest()

function controlRoutes(ctx: AppContext): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/_mock/accounts',
      // Every account with its keys and secrets: the data is synthetic, and tests need them.
      handler: async () => ({
        accounts: ctx.store.accounts().map(a => ({ account: a.account, synthetic: a.synthetic !== undefined, keys: a.keys })),
      }),
    },
    {
      method: 'POST',
      url: '/_mock/accounts',
      // A whole fixture file at runtime: accounts with keys, and records. All or nothing.
      handler: async (request: FastifyRequest) => loadBody(ctx, request),
    },
    {
      method: 'POST',
      url: '/_mock/accounts/:account_id/records',
      handler: async (request: FastifyRequest<{ Params: Params }>) => {
        const id = request.params.account_id
        if (!ctx.store.account(id)) throw notFound(`account ${JSON.stringify(id)} not found; create it with POST /_mock/accounts`)
        return loadBody(ctx, request, id)
      },
    },
    {
      method: 'DELETE',
      url: '/_mock/accounts/:account_id/records',
      handler: async (request: FastifyRequest<{ Params: Params }>) => {
        const id = request.params.account_id
        if (!ctx.store.account(id)) throw notFound(`account ${JSON.stringify(id)} not found`)
        return { removed: ctx.store.clearAddedRecords(id) }
      },
    },
    {
      method: 'GET',
      url: '/_mock/records',
      // Raw records of a window as NDJSON in the fixture format, synthetic ones included, so
      // anyone can recompute an answer independently (or load them back as fixtures).
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
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
        const acct = ctx.store.account(account)
        if (!acct) throw notFound(`account ${JSON.stringify(account)} not found`)
        const streams = streamText ? [streamText as Stream] : STREAMS
        const now = ctx.clock.now()
        const records: UsageRecord[] = streams.flatMap(s => recordsIn(acct, s, from, to, now) as UsageRecord[])
        records.sort((a, b) => a.time - b.time) // stable: stream order, then series order
        const body = records.map(r => JSON.stringify(recordToFixture(r, formatUtc)) + '\n').join('')
        return reply.type('application/x-ndjson').send(body)
      },
    },
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
    {
      method: 'POST',
      url: '/_mock/reset',
      handler: async () => {
        resetContext(ctx)
        return { status: 'reset', ...clockBody(ctx) }
      },
    },
    {
      method: 'GET',
      url: '/_mock/requests',
      handler: async (request: FastifyRequest) => {
        const query = request.query as Query
        const limitText = oneString(query, 'limit')
        const limit = limitText === undefined ? undefined : Number(limitText)
        if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw invalidArgument('limit must be a non-negative integer')
        return { requests: ctx.journal.list({ path: oneString(query, 'path'), account: oneString(query, 'account'), limit }) }
      },
    },
    {
      method: 'DELETE',
      url: '/_mock/requests',
      handler: async () => {
        const cleared = ctx.journal.size
        ctx.journal.clear()
        return { cleared }
      },
    },
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

/** Registers /_mock/health always, and the controls unless ADMIN=off, in their own scope. */
export function registerMockRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.register(async scope => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) => done(null, body))
    // A query string the parser refused is a 400 on every control route (a route reading no
    // parameter, or an optional one, would otherwise answer as if it had not been given).
    scope.addHook('preValidation', async request => {
      const malformed = queryError(request.query)
      if (malformed) throw malformed
    })
    const token = ctx.config.adminToken
    if (token !== null) {
      const expected = digest(token)
      scope.addHook('onRequest', async request => {
        if (request.url === '/_mock/health' || request.url.startsWith('/_mock/health?')) return
        const given = request.headers['x-mock-admin-token']
        if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected))
          throw unauthenticated('missing or wrong x-mock-admin-token header')
      })
    }
    const health: RouteSpec = {
      method: 'GET',
      url: '/_mock/health',
      handler: async () => ({
        status: 'ok',
        version: VERSION,
        seed: ctx.store.base.seed,
        now: formatUtc(ctx.clock.now()),
        // Answers depend on these: DST rules come from the runtime's time-zone database.
        runtime: { node: process.versions.node, tz: process.versions.tz ?? 'unknown' },
      }),
    }
    registerRoutes(scope, [health, ...(ctx.config.admin === 'on' ? controlRoutes(ctx) : [])])
  })
}
