// End to end, exactly as the README shows: the package's in-process API, a real listening
// server on 127.0.0.1, and fetch as any client would use it.
import { startMockServer } from 'fireworks-usage-mock'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'

t.test('startMockServer: records, clock and journal from a Node test suite', async t => {
  const mock = await startMockServer({ now: '2026-06-01T00:00:00Z', validateResponses: true })
  t.teardown(() => mock.close())
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/)

  mock.addRecords([
    { account: 'acme', keys: [{ id: 'key_AcmeProd00000001', name: 'prod-eng', secret: 'fw_acme_prod' }] },
    {
      kind: 'serverless',
      account: 'acme',
      time: '2026-05-28T10:00:00Z',
      model: 'accounts/fireworks/models/kimi-k2p6',
      promptTokens: 1000,
      cachedPromptTokens: 200,
      completionTokens: 300,
    },
  ])
  const url = `${mock.url}/v1/accounts/acme/billingUsage?startTime=2026-05-28T00:00:00Z&endTime=2026-05-29T00:00:00Z`
  const res = await fetch(url, { headers: { Authorization: 'Bearer fw_acme_prod' } })
  t.equal(res.status, 200)
  const body = await res.json()
  // kimi-k2p6: 800 x 950 + 200 x 160 + 300 x 4000 nano-USD
  t.match(body.serverlessCosts, [
    { promptTokens: '1000', cachedPromptTokens: '200', uncachedPromptTokens: '800', costNanoUsd: 1_992_000 },
  ])

  mock.setNow('2026-05-28T10:00:00Z')
  const before = await (await fetch(url, { headers: { Authorization: 'Bearer fw_acme_prod' } })).json()
  t.same(before.serverlessCosts, [], 'the record is in the future of the pinned clock')

  const journal = mock.requests({ account: 'acme' })
  t.equal(journal.length, 2)
  t.match(journal[0], {
    method: 'GET',
    path: '/v1/accounts/acme/billingUsage',
    keyId: 'key_AcmeProd00000001',
    status: 200,
  })

  mock.reset()
  t.same(mock.requests(), [])
  const gone = await fetch(url, { headers: { Authorization: 'Bearer fw_acme_prod' } })
  t.equal(gone.status, 401, 'reset removed the account added at runtime')
})

t.test('the default world answers over a real socket', async t => {
  const mock = await startMockServer({ now: new Date('2026-11-25T00:00:00Z'), validateResponses: true })
  t.teardown(() => mock.close())
  const res = await fetch(
    `${mock.url}/v1/accounts/acme-ai/billingUsage?startTime=2026-11-01T00:00:00Z&endTime=2026-11-02T00:00:00Z&usageType=SERVERLESS`,
    {
      headers: { Authorization: 'Bearer fw_mockAcmeProdEng01' },
    },
  )
  t.equal(res.status, 200)
  t.match(res.headers.get('content-type'), /^application\/json/)
  t.ok((await res.json()).serverlessCosts.length >= 10)
})

t.test("startMockServer takes the flags' texts, camelCased, and refuses what it does not know", async t => {
  const mock = await startMockServer({
    // A minute: the three calls must fall in one window, however busy the machine.
    rateLimit: '2/min',
    now: '2026-06-01T00:00:00Z',
    strictParams: 'true',
    cacheMb: 0,
  })
  t.teardown(() => mock.close())
  const url = `${mock.url}/v1/accounts/acme-ai/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z&usageType=TRAINING`
  const headers = { Authorization: 'Bearer fw_mockAcmeProdEng01' }
  const statuses = []
  for (let i = 0; i < 3; i++) statuses.push((await fetch(url, { headers })).status)
  t.same(statuses, [200, 200, 429], 'rateLimit: 2/min allows two calls and refuses the third')
  t.equal(
    (await fetch(`${url}&pageSize=1`, { headers: { Authorization: 'Bearer fw_mockAcmeStaging01' } })).status,
    400,
    'strictParams: "true" rejects an unknown parameter',
  )

  await t.rejects(startMockServer({ rateLimt: '2/s' } as never), {
    name: 'ConfigError',
    message: /^unknown option "rateLimt" \(did you mean "rateLimit"\?\); the options are port, host, .*rateLimit/,
  })
  await t.rejects(startMockServer({ rateLimit: 'fast' }), {
    message: 'invalid option rateLimit "fast": must be like 60/min, 10/s or 1000/h (or off)',
  })
  await t.rejects(startMockServer({ port: -1 }), {
    message: 'invalid option port "-1": must be an integer from 0 to 65535',
  })
  await t.rejects(startMockServer({ auth: { mode: 'any' } } as never), {
    message: 'invalid option auth: must be a string, a number or a boolean (as for --auth), got object',
  })
  await t.rejects(startMockServer({ now: 'tomorrow' }), { message: /^invalid option now "tomorrow"/ })
  await t.rejects(startMockServer({ fixtures: 'test/fixtures/none' }), {
    name: 'ConfigError',
    message: `invalid option fixtures "test/fixtures/none": no such folder: ${join(process.cwd(), 'test/fixtures/none')}`,
  })
})

t.test('mock.session(name): a handle per parallel test, with the same methods and its own base URL', async t => {
  const mock = await startMockServer({ now: '2026-06-01T00:00:00Z' })
  t.teardown(() => mock.close())
  const [a, b] = [mock.session('worker-a'), mock.session('worker-b')]
  t.equal(a.url, `${mock.url}/_sessions/worker-a`)
  const account = (tokens: number) => [
    { account: 'acme', keys: [{ id: 'key_AcmeProd00000001', name: 'prod-eng', secret: 'fw_acme_prod' }] },
    {
      kind: 'serverless',
      account: 'acme',
      time: '2026-05-28T10:00:00Z',
      model: 'accounts/fireworks/models/kimi-k2p6',
      promptTokens: tokens,
    },
  ]
  a.addRecords(account(1000))
  b.addRecords(account(7))
  b.setNow('2026-05-28T10:00:00Z')
  const prompt = async (base: string) => {
    const res = await fetch(
      `${base}/v1/accounts/acme/billingUsage?startTime=2026-05-28T00:00:00Z&endTime=2026-05-29T00:00:00Z`,
      {
        headers: { Authorization: 'Bearer fw_acme_prod' },
      },
    )
    return res.status === 200
      ? ((await res.json()) as { serverlessCosts: { promptTokens: string }[] }).serverlessCosts.map(r => r.promptTokens)
      : res.status
  }
  t.same(await prompt(a.url), ['1000'])
  t.same(await prompt(b.url), [], "b's clock is before its record")
  t.equal(await prompt(mock.url), 401, 'the default session has no acme')
  t.same([a.requests().length, b.requests().length, mock.requests().length], [1, 1, 1], 'a journal each')
  a.reset()
  t.equal(await prompt(a.url), 401, 'a reset only a')
  t.same(await prompt(b.url), [])
  await b.close()
  t.equal(await prompt(b.url), 401, 'close dropped b: a later use starts afresh')
  t.throws(() => mock.session('no spaces'), { message: /^invalid session name "no spaces" in mock.session\(name\)/ })
})

t.test('readyFile, as every setting, works in process too: written on start, removed by close()', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'fum-index-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const path = join(dir, 'ready.json')
  const mock = await startMockServer({ readyFile: path })
  t.same(JSON.parse(readFileSync(path, 'utf8')), {
    url: mock.url,
    port: Number(new URL(mock.url).port),
    pid: process.pid,
  })
  await mock.close()
  t.notOk(existsSync(path))
})

t.test('setUsageLag: the usage lag of the server or of one session, as USAGE_LAG takes it', async t => {
  const mock = await startMockServer({ now: '2026-11-25T00:00:00Z', usageLag: '1h/3h' })
  t.teardown(() => mock.close())
  const session = mock.session('late')
  const lagOf = async (base: string) => (await (await fetch(`${base}/_mock/usage-lag`)).json()) as object
  const settledUntil = async (base: string) =>
    (
      await fetch(
        `${base}/v1/accounts/globex/billingUsage?startTime=2026-11-24T00:00:00Z&endTime=2026-11-25T00:00:00Z`,
        { headers: { Authorization: 'Bearer fw_mockGlobexProd01' } },
      )
    ).headers.get('x-mock-settled-until')
  t.same(await lagOf(mock.url), { usageLag: '1h/3h', source: 'config' }, 'the option, as the setting')
  t.equal(await settledUntil(mock.url), '2026-11-24T21:00:00Z', 'floor(now - 3 h)')
  session.setUsageLag('2h/26h')
  t.same(await lagOf(session.url), { usageLag: '2h/26h', source: 'runtime' })
  t.equal(await settledUntil(session.url), '2026-11-23T22:00:00Z')
  t.same(await lagOf(mock.url), { usageLag: '1h/3h', source: 'config' }, 'the default session keeps its own')
  mock.setUsageLag('0')
  t.equal(await settledUntil(mock.url), null, 'no lag: no header')
  mock.setUsageLag(null)
  t.same(await lagOf(mock.url), { usageLag: '1h/3h', source: 'config' })
  t.throws(() => session.setUsageLag('26h/2h'), {
    message: /^invalid usage lag "26h\/2h": must be 0 or <delay>\/<settle>/,
  })
  session.reset()
  t.same(await lagOf(session.url), { usageLag: '1h/3h', source: 'config' }, 'reset: the start-up lag')
})
