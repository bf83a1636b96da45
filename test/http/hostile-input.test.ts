// Hostile and malformed input: every answer is a 4xx in the error envelope (never a 5xx,
// never a hang), including what Node's HTTP parser and Fastify's router reject before any
// route runs. Some cases need a real socket, since inject skips the HTTP parser.
import { connect } from 'node:net'
import t, { type Test } from 'tap'
import { AUTH, fixtureApp, serverlessRecord } from '../helpers.js'

const app = fixtureApp([serverlessRecord('2026-05-01T01:00:00Z', { promptTokens: 1 })])
const port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port)
t.teardown(() => app.close())
const Q = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'
const PATH = '/v1/accounts/test-co/billingUsage'

/** Sends raw bytes, returns status line and body once the server closes (a hang is tap's timeout). */
function raw(request: string): Promise<{ status: number; body: string }> {
  return new Promise(resolve => {
    const socket = connect(port, '127.0.0.1')
    let data = ''
    socket.on('data', d => (data += String(d)))
    socket.on('error', () => {})
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n')
      resolve({ status: Number(head.split(' ')[1]), body })
    })
    socket.end(request)
  })
}
const get = (target: string, headers = `Authorization: Bearer fw_testSecret01\r\n`) =>
  raw(`GET ${target} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`)

function isEnvelope(t: Test, body: string, code: number) {
  const parsed = JSON.parse(body)
  t.same(Object.keys(parsed), ['code', 'message', 'details'])
  t.equal(parsed.code, code)
}

t.test('a 100 KB query string is a 431 in the envelope, from the HTTP parser', async t => {
  const res = await get(`${PATH}?${Q}&x=${'a'.repeat(100_000)}`)
  t.equal(res.status, 431)
  isEnvelope(t, res.body, 3)
  t.match(JSON.parse(res.body).message, /16 KB/)
})

t.test('10,000 repeated groupBy: 431 over HTTP (the line is 190 KB), 400 when it fits the parser', async t => {
  const many = Array.from({ length: 10_000 }, () => 'groupBy=model_name').join('&')
  const res = await get(`${PATH}?${Q}&${many}`)
  t.equal(res.status, 431)
  const injected = await app.inject({ url: `${PATH}?${Q}&${many}`, headers: AUTH })
  t.equal(injected.statusCode, 400)
  t.equal(injected.json().message, 'invalid query string: Parameter limit exceeded. Only 2000 parameters allowed.')
  const thousand = Array.from({ length: 1001 }, () => 'groupBy=model_name').join('&')
  const limited = await app.inject({ url: `${PATH}?${Q}&${thousand}`, headers: AUTH })
  t.equal(limited.json().message, 'invalid query string: Array limit exceeded. Only 1000 elements allowed in an array.')
})

t.test('a huge header is a 431; bytes that are not HTTP are a 400; both in the envelope', async t => {
  const big = await get(`${PATH}?${Q}`, `Authorization: Bearer ${'x'.repeat(20_000)}\r\n`)
  t.equal(big.status, 431)
  isEnvelope(t, big.body, 3)
  const garbage = await raw('GARBAGE\r\n\r\n')
  t.equal(garbage.status, 400)
  isEnvelope(t, garbage.body, 3)
})

t.test('non-ASCII and control characters in headers', async t => {
  const latin1 = await get(`${PATH}?${Q}`, 'Authorization: Bearer fw_m\u00f6\r\n')
  t.equal(latin1.status, 401)
  isEnvelope(t, latin1.body, 16)
  const ctl = await raw(`GET ${PATH}?${Q} HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\nConnection: close\r\n\r\n`)
  t.equal(ctl.status, 400)
  isEnvelope(t, ctl.body, 3)
})

t.test('malformed percent-encoding and over-long path segments, from the router', async t => {
  const badUrl = await get(`/v1/accounts/%E0%A4%A/billingUsage?${Q}`)
  t.same(
    [badUrl.status, JSON.parse(badUrl.body)],
    [400, { code: 3, message: 'malformed URL: a percent-encoding is not valid UTF-8', details: [] }],
  )
  const long = await get(`/v1/accounts/${'a'.repeat(300)}/billingUsage?${Q}`)
  t.same(
    [long.status, JSON.parse(long.body)],
    [414, { code: 3, message: 'a path segment is longer than 100 characters', details: [] }],
  )
  const badQuery = await app.inject({ url: `${PATH}?${Q}&groupBy=%E0%A4%A`, headers: AUTH })
  t.equal(badQuery.statusCode, 400, 'a bad escape in the query stays literal and is an unknown dimension')
})

t.test('NUL bytes, prototype keys and deep nesting', async t => {
  // an unknown parameter named like a prototype member is ignored, like any other
  const ignored = await app.inject({ url: `${PATH}?${Q}&constructor[prototype][polluted]=1`, headers: AUTH })
  t.same([ignored.statusCode, ignored.headers['x-mock-ignored-params']], [200, 'constructor'])
  const cases: [string, number, RegExp][] = [
    [`${Q}&timezone=%00`, 400, /^invalid timezone "\\u0000"/],
    [`${Q}&groupBy=model%00name`, 400, /^unknown group_by dimension/],
    [`${Q}&filter[__proto__][values]=x`, 400, /^invalid query parameter name "filter\[__proto__\]\[values\]"$/],
    [`${Q}&__proto__[polluted]=1`, 400, /^invalid query parameter name "__proto__\[polluted\]"$/],
    [`${Q}&%5F%5Fproto%5F%5F[polluted]=1`, 400, /^invalid query parameter name "__proto__\[polluted\]"$/],
    [`${Q}&groupBy=__proto__`, 400, /^unknown group_by dimension "__proto__"/],
    [`${Q}&a[b][c][d][e]=1`, 400, /^invalid query string: Input depth exceeded/],
    [
      `${Q}&filter[model_name][values][__proto__]=x`,
      400,
      /^invalid query parameter name "filter\[model_name\]\[values\]\[__proto__\]"$/,
    ],
  ]
  for (const [query, status, message] of cases) {
    const res = await app.inject({ url: `${PATH}?${query}`, headers: AUTH })
    t.equal(res.statusCode, status, query)
    t.match(res.json().message, message, query)
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched')
})

t.test('every method on every path: a 4xx, or the 501 of a known path with another method [contract 4]', async t => {
  const paths = [
    PATH,
    '/v1/accounts/test-co/billing/summary',
    '/v1/accounts/test-co/accountUsageFilterOptions',
    '/_mock/health',
    '/_mock/clock',
    '/_mock/faults',
    '/_mock/requests',
    '/_mock/accounts',
    '/_mock/reset',
    '/_mock/records',
    '/_mock/accounts/test-co/records',
    '/openapi.json',
    '/nowhere',
    '/',
  ]
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'TRACE', 'SEARCH'] as const
  for (const path of paths)
    for (const method of methods) {
      if (path === '/_mock/reset' && method === 'POST') continue // would reset the shared app
      const res = await app.inject({
        method: method as 'GET',
        url: `${path}?${Q}`,
        headers: AUTH,
        payload: method === 'GET' || method === 'HEAD' ? undefined : '{}',
      })
      const methodNotAllowed = res.statusCode === 501 && (method === 'HEAD' || res.json().code === 12)
      t.ok(res.statusCode < 500 || methodNotAllowed, `${method} ${path}: ${res.statusCode}`)
      if (res.statusCode >= 400 && method !== 'HEAD')
        t.same(Object.keys(res.json()), ['code', 'message', 'details'], `${method} ${path}`)
    }
})

t.test('CONNECT, which Node keeps from the router, is answered too', async t => {
  const res = await raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')
  t.same([res.status, JSON.parse(res.body)], [501, { code: 12, message: 'Method Not Allowed', details: [] }])
})

t.test('a body over the limit is a 413 in the envelope', async t => {
  const res = await app.inject({
    method: 'POST',
    url: '/_mock/accounts',
    headers: { 'content-type': 'application/x-ndjson' },
    payload: 'x'.repeat(65 * 1024 * 1024),
  })
  t.equal(res.statusCode, 413)
  isEnvelope(t, res.body, 3)
})
