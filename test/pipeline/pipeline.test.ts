// The request pipeline called directly, with no HTTP server: a plain request in, a plain answer
// out or the typed error, its steps in the contract's order, and what it leaves for the journal.
import t from 'tap'
import { configWith, type Config } from '../../server/config.js'
import { buildWorld } from '../../server/data/world.js'
import { ApiError, invalidArgument } from '../../server/errors.js'
import { createContext } from '../../server/pipeline/context.js'
import { journalEntry } from '../../server/pipeline/journal.js'
import { apiOperations } from '../../server/pipeline/operations.js'
import { runOperation, startTrace, type PipelineRequest } from '../../server/pipeline/pipeline.js'
import type { Operation } from '../../server/pipeline/operation.js'

const ADA = { authorization: 'Bearer fw_ada1' }
const BOB = { authorization: 'Bearer fw_bob1' }
const ACCOUNT = {
  account: 'acme',
  keys: [
    { id: 'key_Ada1', name: 'ada-laptop', secret: 'fw_ada1', user: 'ada', role: 'admin' },
    { id: 'key_Bob1', name: 'bob-laptop', secret: 'fw_bob1', user: 'bob' },
  ],
}
const record = (time: string, promptTokens: number) => ({
  kind: 'serverless',
  account: 'acme',
  time,
  model: 'accounts/fireworks/models/gpt-oss-20b',
  apiKeyId: 'key_Ada1',
  apiKeyName: 'ada-laptop',
  promptTokens,
})
const world = buildWorld({
  seed: 1,
  spec: { start: '2026-01-01T00:00:00Z', accounts: [] },
  files: [
    {
      path: 'test.ndjson',
      text: [ACCOUNT, record('2026-05-01T01:00:00Z', 1), record('2026-05-01T02:00:00Z', 2)]
        .map(r => JSON.stringify(r))
        .join('\n'),
    },
  ],
})
const WINDOW = { startTime: '2026-05-01T00:00:00Z', endTime: '2026-05-02T00:00:00Z' }

function setup(overrides: Partial<Config> = {}) {
  const slept: number[] = []
  const config = configWith({ logLevel: 'silent', now: Date.parse('2027-01-01T00:00:00Z'), ...overrides })
  const ctx = createContext(
    config,
    world,
    undefined,
    () => {},
    async ms => void slept.push(ms),
  )
  const ops = apiOperations(config)
  const request = (
    path: string,
    query: PipelineRequest['query'],
    headers: PipelineRequest['headers'],
    body?: string,
  ): PipelineRequest => ({
    method: body === undefined ? 'GET' : 'POST',
    path,
    params: path === '/v1/accounts' ? {} : { account_id: 'acme' },
    query,
    body,
    headers,
    session: ctx.sessions.default,
  })
  /** Runs the operation; the result, or the error's code and message, and the trace either way. */
  async function run<Q>(op: Operation<Q>, req: PipelineRequest) {
    const trace = startTrace(req)
    try {
      return { result: await runOperation(ctx, op, req, trace), trace }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      return { error: [err.httpStatus, err.code, err.message] as const, trace }
    }
  }
  return { ctx, ops, slept, request, run }
}

const USAGE = '/v1/accounts/acme/billingUsage'

t.test('a plain request in, a plain answer out: status, headers in order, bytes, release', async t => {
  const { ops, request, run } = setup({ cacheMb: 0 })
  const { result } = await run(ops.billingUsage, request(USAGE, { ...WINDOW, colour: 'blue' }, ADA))
  t.equal(result?.status, 200)
  t.same(Object.entries(result?.headers ?? {}), [
    ['x-mock-ignored-params', 'colour'],
    ['content-type', 'application/json; charset=utf-8'],
  ])
  const body = JSON.parse(result!.body.toString('utf8'))
  // the two records of gpt-oss-20b: 1 + 2 prompt tokens
  t.same(
    body.serverlessCosts.map((r: { promptTokens: string }) => r.promptTokens),
    ['3'],
  )
  t.type(result?.release, 'function', 'without the cache the body is lent, to be released once sent')
  result?.release?.()

  const cached = setup()
  const kept = (await cached.run(cached.ops.billingUsage, cached.request(USAGE, WINDOW, ADA))).result
  t.equal(kept?.release, undefined, 'the cache keeps a copy of its own: nothing to release')
  t.same(JSON.parse(kept!.body.toString('utf8')), body)
})

t.test('faults and delays first, then authentication, then the parameters', async t => {
  const { ops, request, run, slept } = setup()
  const faulted = await run(ops.billingUsage, request(USAGE, {}, { 'x-mock-status': '503', 'x-mock-delay-ms': '250' }))
  t.same(faulted.error, [503, 14, 'injected fault: HTTP 503'], 'a fault before the missing key')
  t.same(slept, [250], 'after its delay')
  t.same(faulted.trace.journal, { method: 'GET', path: USAGE, query: {}, account: 'acme', keyId: null })

  const anonymous = await run(ops.billingUsage, request(USAGE, {}, {}))
  t.equal(anonymous.error?.[0], 401, 'the missing key before the missing parameters')
  const refused = invalidArgument('invalid query string: too deep')
  t.equal((await run(ops.billingUsage, request(USAGE, refused, {}))).error?.[0], 401, 'even a refused query string')

  const noWindow = await run(ops.billingUsage, request(USAGE, {}, ADA))
  t.same(noWindow.error, [400, 3, 'start_time is required'])
  t.equal(noWindow.trace.journal.keyId, 'key_Ada1', 'the journal knows the key of a request that failed later')
  const badQuery = await run(ops.billingUsage, request(USAGE, refused, ADA))
  t.same([badQuery.error?.[2], badQuery.trace.journal.query], ['invalid query string: too deep', null])
})

t.test('headers decided before a later step fails stay in the trace, for the error answer', async t => {
  const { ops, request, run } = setup()
  const body = JSON.stringify({ ...WINDOW, scope: 'ACCOUNT', colour: 'blue' })
  const denied = await run(ops.usageCosts, request('/v1/accounts/acme/usageCosts:query', {}, BOB, body))
  t.same(denied.error?.slice(0, 2), [403, 7], 'bob is no administrator')
  t.same(denied.trace.headers, { 'x-mock-ignored-params': 'colour' })
})

t.test('the journal entry: the draft, completed by how the request ended', async t => {
  const { ops, request, run } = setup()
  const listed = await run(ops.listAccounts, request('/v1/accounts', {}, ADA))
  t.equal(listed.result?.status, 200)
  t.strictSame(
    journalEntry(listed.trace.journal, {
      id: 'req-7',
      status: 200,
      elapsedMs: 1.23456,
      timeMs: Date.parse('2026-06-01T12:00:00Z'),
    }),
    {
      id: 'req-7',
      time: '2026-06-01T12:00:00Z',
      method: 'GET',
      path: '/v1/accounts',
      query: {},
      account: 'acme',
      keyId: 'key_Ada1',
      status: 200,
      durationMs: 1.23,
    },
    "a path without an account journals the key's",
  )
})
