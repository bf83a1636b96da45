// Sessions over HTTP: parallel workers on one listening server, each in its own session (by
// header or by path prefix), get exactly what a fresh server of their own would answer; a reset
// in one leaves the others as they were; names, conflicts, the cap and expiry are answered in
// the envelope.
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { loadWorld } from '../../server/data/world.js'
import { testConfig } from '../helpers.js'

const world = loadWorld({ seed: 20260101, fixtures: null, worldScale: 1 })
const WORKERS = 8
const REQUESTS = 200

const server = buildApp(testConfig({ now: Date.parse('2026-11-25T00:00:00Z') }), { world })
const base = await server.listen({ port: 0, host: '127.0.0.1' })
t.teardown(() => server.close())

/** What one worker sets up in its session: its clock, records of "acme", and faults. */
function setUp(i: number) {
  const key = { id: 'key_AcmeWorker000001', name: 'prod', secret: 'fw_acme' }
  const records = [1, 2, 3, 4, 5].flatMap(day => [
    {
      kind: 'serverless',
      account: 'acme',
      time: `2026-05-0${day}T0${i}:00:00Z`,
      model: 'accounts/fireworks/models/kimi-k2p6',
      promptTokens: (i + 1) * 1000 + day,
      completionTokens: day,
    },
    {
      kind: 'dedicated',
      account: 'acme',
      time: `2026-05-0${day}T10:00:00Z`,
      acceleratorType: 'NVIDIA_H100_80GB',
      acceleratorSeconds: (i + 1) * 60,
    },
  ])
  return [
    { method: 'PUT', url: '/_mock/clock', body: { now: `2026-05-0${5 + (i % 4)}T12:00:00Z` } },
    { method: 'POST', url: '/_mock/accounts', body: [{ account: 'acme', keys: [key] }, ...records] },
    {
      method: 'PUT',
      url: '/_mock/faults',
      body: [{ path: '/v1/**', status: 503, probability: 0.05 + 0.05 * (i % 3) }],
    },
  ] as const
}

/** The worker's requests, in its own order: its account, a default-world account, controls. */
function requestsOf(i: number): string[] {
  const urls = [
    '/v1/accounts/acme/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-05-08T00:00:00Z',
    `/v1/accounts/acme/billingUsage?startTime=2026-05-0${1 + (i % 3)}T00:00:00Z&endTime=2026-05-07T00:00:00Z&timezone=Asia/Kathmandu&groupBy=accelerator_type`,
    '/v1/accounts/acme/billing/summary?startTime=2026-05-01T00:00:00Z&endTime=2026-05-08T00:00:00Z&granularity=DAILY',
    '/v1/accounts/acme/accountUsageFilterOptions?startTime=2026-05-01T00:00:00Z&endTime=2026-05-08T00:00:00Z',
    '/v1/accounts/globex/billingUsage?startTime=2026-04-01T00:00:00Z&endTime=2026-04-03T00:00:00Z&groupBy=api_key_name',
    '/_mock/requests/count?status=503',
    '/_mock/clock',
  ]
  return Array.from({ length: REQUESTS }, (_, k) => urls[(k * (i + 1)) % urls.length] as string)
}

const authFor = (url: string) => (url.includes('/globex/') ? 'Bearer fw_mockGlobexProd01' : 'Bearer fw_acme')

/** A worker over HTTP: even ones name their session by header, odd ones by path prefix. */
async function runWorker(i: number): Promise<string[]> {
  const name = `worker-${i}`
  const send = async (method: string, url: string, body?: unknown) => {
    const target = i % 2 === 0 ? `${base}${url}` : `${base}/_sessions/${name}${url}`
    const headers: Record<string, string> = {
      authorization: authFor(url),
      ...(i % 2 === 0 ? { 'x-mock-session': name } : {}),
    }
    const res = await fetch(target, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    return `${res.status} ${await res.text()}`
  }
  for (const step of setUp(i)) await send(step.method, step.url, step.body)
  const answers: string[] = []
  for (const url of requestsOf(i)) answers.push(await send('GET', url))
  return answers
}

/** The same set-up and requests on a fresh server of its own, without sessions. */
async function runAlone(i: number): Promise<string[]> {
  const alone = buildApp(testConfig({ now: Date.parse('2026-11-25T00:00:00Z') }), { world })
  const send = async (method: string, url: string, body?: unknown) => {
    const res = await alone.inject({
      method: method as 'GET',
      url,
      headers: { authorization: authFor(url) },
      payload: body === undefined ? undefined : JSON.stringify(body),
    })
    return `${res.statusCode} ${res.body}`
  }
  for (const step of setUp(i)) await send(step.method, step.url, step.body)
  const answers: string[] = []
  for (const url of requestsOf(i)) answers.push(await send('GET', url))
  await alone.close()
  return answers
}

const workers = Array.from({ length: WORKERS }, (_, i) => i)
const together = await Promise.all(workers.map(runWorker))

t.test(
  `${WORKERS} concurrent workers, ${REQUESTS} requests each: every answer is what a server of its own gives`,
  async t => {
    for (const i of workers) {
      const alone = await runAlone(i)
      t.same(together[i], alone, `worker-${i}`)
      const failed = alone.filter(a => a.startsWith('503')).length
      t.ok(failed > 0 && failed < REQUESTS / 2, `worker-${i}: its faults fired on some requests (${failed})`)
    }
    // the clocks differ, so do the answers: worker 0 pinned May 5 at noon, worker 1 May 6
    t.not(together[0]![0], together[1]![0])
  },
)

t.test('a reset in one session leaves the others as they were', async t => {
  const peek = (name: string, url: string) =>
    fetch(`${base}${url}`, { headers: { authorization: authFor(url), 'x-mock-session': name } }).then(
      async r => `${r.status} ${await r.text()}`,
    )
  // controls only: reading the state must not change it (a real-API call counts as a fault match)
  const state = (name: string) =>
    Promise.all(
      [
        '/_mock/clock',
        '/_mock/faults',
        '/_mock/requests/count',
        '/_mock/records?account=acme&startTime=2026-05-01T00:00:00Z&endTime=2026-05-08T00:00:00Z',
      ].map(url => peek(name, url)),
    )
  const before = await Promise.all(workers.map(i => state(`worker-${i}`)))
  const reset = await fetch(`${base}/_mock/reset`, { method: 'POST', headers: { 'x-mock-session': 'worker-0' } })
  t.equal(reset.status, 200)
  const after = await Promise.all(workers.map(i => state(`worker-${i}`)))
  for (const i of workers.slice(1)) t.same(after[i], before[i], `worker-${i} unchanged`)
  t.match(after[0]![0], /"source":"config"/, 'worker-0: back to the configured clock')
  t.equal(after[0]![1], '200 {"rules":[]}', 'worker-0: no faults')
  t.match(after[0]![3], /^404 .*account \\"acme\\" not found/, 'worker-0: acme, added at runtime, is gone')
  t.match(before[0]![3], /^200 \{"kind":"serverless","account":"acme"/, 'it was there before')
})

t.test('GET /_mock/sessions lists them, with their requests and runtime records', async t => {
  const res = await fetch(`${base}/_mock/sessions`)
  const { sessions } = (await res.json()) as { sessions: { name: string; requests: number; runtimeRecords: number }[] }
  t.same(
    sessions.map(s => s.name),
    ['default', ...workers.map(i => `worker-${i}`)],
  )
  // worker-1: 3 set-up requests, 200, and the 4 requests of the reset test's two looks
  t.match(sessions[2], { name: 'worker-1', requests: 3 + REQUESTS + 8, runtimeRecords: 10 })
  t.match(sessions[1], { name: 'worker-0', runtimeRecords: 0 }, 'worker-0 was reset')
})

t.test('a header and a prefix naming different sessions, or a bad name, are a 400', async t => {
  const conflict = await fetch(`${base}/_sessions/a/_mock/clock`, { headers: { 'x-mock-session': 'b' } })
  t.same(
    [conflict.status, await conflict.json()],
    [
      400,
      {
        code: 3,
        message: 'the x-mock-session header (b) and the path prefix /_sessions/a name different sessions',
        details: [],
      },
    ],
  )
  const agree = await fetch(`${base}/_sessions/a/_mock/clock`, { headers: { 'x-mock-session': 'a' } })
  t.equal(agree.status, 200)
  const bad = await fetch(`${base}/_mock/clock`, { headers: { 'x-mock-session': 'no spaces' } })
  t.same(
    [bad.status, (await bad.json()).message],
    [
      400,
      `invalid session name "no spaces" in the x-mock-session header: use 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'`,
    ],
  )
  const badPrefix = await fetch(`${base}/_sessions/${'x'.repeat(65)}/_mock/clock`)
  t.equal(badPrefix.status, 400)
  const bare = await fetch(`${base}/_sessions/a`)
  t.same(
    [bare.status, (await bare.json()).code],
    [404, 5],
    'the prefix alone is the root path of the session: not found',
  )
})

t.test('MAX_SESSIONS and SESSION_TTL, by moving the wall clock', async t => {
  const wall = { now: Date.parse('2026-06-01T00:00:00Z') }
  const app = buildApp(testConfig({ maxSessions: 1, sessionTtl: { ms: 60_000, text: '1m' } }), {
    world,
    wall: () => wall.now,
  })
  const clock = (session: string) => app.inject({ url: '/_mock/clock', headers: { 'x-mock-session': session } })
  t.equal((await clock('one')).statusCode, 200)
  const refused = await clock('two')
  t.same([refused.statusCode, refused.json().code], [429, 8])
  t.match(refused.json().message, /^at most 1 sessions may exist \(MAX_SESSIONS\)/)
  t.equal((await clock('one')).statusCode, 200, 'the live session is still there')
  wall.now += 59_000
  t.equal((await clock('two')).statusCode, 429, 'one was used 59 s ago: still live')
  wall.now += 60_000
  t.equal((await clock('two')).statusCode, 200, 'one idle for a minute has expired: room for two')
  t.same(
    (await app.inject({ url: '/_mock/sessions' })).json().sessions.map((s: { name: string }) => s.name),
    ['default', 'two'],
  )
  const dropped = await app.inject({ method: 'DELETE', url: '/_mock/sessions/two' })
  t.same(dropped.json(), { name: 'two', dropped: true })
  t.same((await app.inject({ method: 'DELETE', url: '/_mock/sessions/two' })).json(), { name: 'two', dropped: false })
  const nope = await app.inject({ method: 'DELETE', url: '/_mock/sessions/default' })
  t.same(
    [nope.statusCode, nope.json().message],
    [400, 'the default session cannot be dropped; POST /_mock/reset resets it'],
  )
})

t.test('rate limits count per session', async t => {
  const app = buildApp(testConfig({ rateLimit: { max: 1, windowMs: 60_000, text: '1/min' } }), { world })
  const url =
    '/v1/accounts/globex/billingUsage?startTime=2026-04-01T00:00:00Z&endTime=2026-04-02T00:00:00Z&usageType=TRAINING'
  const call = (session: string) =>
    app.inject({ url, headers: { authorization: 'Bearer fw_mockGlobexProd01', 'x-mock-session': session } })
  t.same([(await call('a')).statusCode, (await call('a')).statusCode, (await call('b')).statusCode], [200, 429, 200])
  await app.inject({ method: 'POST', url: '/_mock/reset', headers: { 'x-mock-session': 'a' } })
  t.equal((await call('a')).statusCode, 200, 'a reset of the session starts its counters afresh')
  t.equal((await call('b')).statusCode, 429, 'and only its own')
})
