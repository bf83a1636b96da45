// What buildApp wires together: rate limits per API key (reset by /_mock/reset), and closing:
// a request in flight completes; one that still arrives on an open keep-alive connection gets
// 503 UNAVAILABLE in the envelope and the connection closes.
import { connect } from 'node:net'
import t from 'tap'
import { buildApp } from '../server/app.js'
import { AUTH, DAY_QUERY, fixtureApp, fixtureWorld, OTHER_SECRET, testConfig, usage } from './helpers.js'

t.test('rate limits: 429 with code 8 and the headers, per API key, reset by /_mock/reset', async t => {
  const app = fixtureApp([], { rateLimit: { max: 2, windowMs: 60_000, text: '2/min' } })
  const first = await app.inject({ url: `/v1/accounts/test-co/billingUsage?${DAY_QUERY}`, headers: AUTH })
  t.equal(first.headers['x-ratelimit-limit'], '2')
  t.equal(first.headers['x-ratelimit-remaining'], '1')
  await usage(app, DAY_QUERY)
  const third = await app.inject({ url: `/v1/accounts/test-co/billingUsage?${DAY_QUERY}`, headers: AUTH })
  t.equal(third.statusCode, 429)
  t.same(Object.keys(third.json()), ['code', 'message', 'details'])
  t.equal(third.json().code, 8)
  t.match(third.json().message, /^rate limit of 2\/min per API key exceeded; retry in \d+ (second|minute)s?$/)
  t.match(third.headers['retry-after'], /^\d+$/)
  t.equal(third.headers['x-ratelimit-remaining'], '0')
  const other = await app.inject({
    url: `/v1/accounts/other-co/billingUsage?${DAY_QUERY}`,
    headers: { authorization: `Bearer ${OTHER_SECRET}` },
  })
  t.equal(other.statusCode, 200, 'another key has its own budget')
  t.equal((await app.inject({ url: '/_mock/health' })).statusCode, 200, 'mock routes are not limited')
  await app.inject({ method: 'POST', url: '/_mock/reset' })
  t.equal((await usage(app, DAY_QUERY)).status, 200)
})

/** A promise, and the function that resolves it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>(r => (resolve = r))
  return { promise, resolve }
}

t.test('during close, in-flight work finishes and late requests get the envelope', async t => {
  // The first request's delay lasts until the test ends it, so it is in flight throughout.
  const delayBegun = deferred<number>()
  const delayEnded = deferred()
  const sleep = (ms: number) => {
    delayBegun.resolve(ms)
    return delayEnded.promise
  }
  const app = fixtureApp([], {}, { sleep })
  // Added after buildApp's own preClose hook, so it runs once the app refuses new requests.
  const closing = deferred()
  app.addHook('preClose', async () => closing.resolve())
  const port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port)
  const socket = connect(port, '127.0.0.1')
  let data = ''
  socket.on('data', d => (data += String(d)))
  const request = (extra = '') =>
    `GET /v1/accounts/test-co/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer fw_testSecret01\r\n${extra}\r\n`
  socket.write(request('x-mock-delay-ms: 400\r\n'))
  t.equal(await delayBegun.promise, 400, 'the first request waits for its delay')
  const closed = app.close()
  await closing.promise
  const late = new Promise(resolve => app.server.once('request', resolve))
  socket.write(request())
  await late
  delayEnded.resolve()
  await closed
  await new Promise(r => socket.on('close', r))
  const answers = data.split(/(?=HTTP\/1\.1 )/)
  t.equal(answers.length, 2)
  t.match(answers[0], /^HTTP\/1\.1 200 OK/)
  t.match(answers[0], /"serverlessCosts":\[\]/)
  t.match(answers[1], /^HTTP\/1\.1 503 Service Unavailable/)
  t.match(answers[1], /connection: close/i)
  t.match(answers[1], /\{"code":14,"message":"the server is shutting down","details":\[\]\}$/)
})

t.test("a route that declares a schema still gets Fastify's compilers, loaded on first use", async t => {
  const app = buildApp(testConfig(), { world: fixtureWorld([]) })
  app.get(
    '/with-schema',
    {
      schema: {
        querystring: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
        response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
      },
    },
    async request => ({ n: (request.query as { n: number }).n, dropped: 'by the serializer' }),
  )
  const ok = await app.inject({ url: '/with-schema?n=7' })
  t.same(
    [ok.statusCode, ok.json()],
    [200, { n: 7 }],
    'the query coerced by ajv, the answer shaped by fast-json-stringify',
  )
  const bad = await app.inject({ url: '/with-schema' })
  t.equal(bad.statusCode, 400)
})
