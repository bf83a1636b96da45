// The probe's client against a tiny fake server: spacing, the budget, 429 with Retry-After in
// both forms, what it sends, and answers that never come or never finish. Waits go through an
// injected sleep and timeouts through an injected signal, so nothing here is timed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import {
  createClient,
  NoAnswer,
  RequestNotAnswered,
  retryAfterMs,
  WRONG_KEY,
  type ClientOptions,
} from '../../server/conformance/client.js'

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** A fake target answering with `handlers` in turn (the last one repeats); it records requests. */
async function fakeTarget(t: Test, ...handlers: Handler[]) {
  const seen: { url: string; authorization: string | undefined; method: string }[] = []
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization, method: req.method ?? '' })
    handlers[Math.min(seen.length, handlers.length) - 1]?.(req, res)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  // closeAllConnections: a stalled answer's connection must not hold the server open.
  t.teardown(() => new Promise<void>(resolve => server.close(() => resolve()).closeAllConnections()))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

const ok: Handler = (_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
const limited =
  (retryAfter?: string): Handler =>
  (_, res) =>
    res
      .writeHead(429, {
        'content-type': 'application/json',
        ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }),
      })
      .end('{"code":8,"message":"slow down","details":[]}')

/** A client whose clock stands still unless a sleep advances it; sleeps are recorded. */
function clientFor(target: string, options: Partial<ClientOptions> = {}) {
  let now = Date.parse('2026-11-25T00:00:00Z')
  const sleeps: number[] = []
  const client = createClient({
    target,
    apiKey: 'fw_secretKey01',
    maxRequests: 10,
    intervalMs: 250,
    clock: () => now,
    sleep: async ms => {
      sleeps.push(ms)
      now += ms
    },
    ...options,
  })
  return { client, sleeps }
}

t.test('requests are GETs spaced by the interval, with the key only where asked for', async t => {
  const target = await fakeTarget(t, ok)
  const { client, sleeps } = clientFor(`${target.url}/prefix/`)
  t.same((await client.get('/v1/a?x=1', 'key')).json, { ok: true })
  await client.get('/v1/b', 'none')
  await client.get('/v1/c', 'wrong-key')
  t.same(
    target.seen.map(s => [s.method, s.url, s.authorization]),
    [
      ['GET', '/prefix/v1/a?x=1', 'Bearer fw_secretKey01'],
      ['GET', '/prefix/v1/b', undefined],
      ['GET', '/prefix/v1/c', `Bearer ${WRONG_KEY}`],
    ],
  )
  t.same(sleeps, [250, 250], 'no wait before the first request, the interval before each other')
  t.equal(client.sent, 3)
})

t.test('a 429 waits as long as Retry-After says (seconds), then asks again', async t => {
  const target = await fakeTarget(t, limited('3'), ok)
  const { client, sleeps } = clientFor(target.url, { intervalMs: 0 })
  const answer = await client.get('/v1/x', 'key')
  t.equal(answer.status, 200)
  t.same(sleeps, [3000])
  t.equal(target.seen.length, 2)
  t.equal(client.sent, 2, 'the retry counts against the budget')
})

t.test('Retry-After as an HTTP date; without it, exponential backoff from 1 s', async t => {
  const inTenSeconds = new Date(Date.parse('2026-11-25T00:00:10Z')).toUTCString()
  const target = await fakeTarget(t, limited(inTenSeconds), limited(), limited(), ok)
  const { client, sleeps } = clientFor(target.url, { intervalMs: 0 })
  t.equal((await client.get('/v1/x', 'key')).status, 200)
  t.same(sleeps, [10_000, 2000, 4000], 'the date, then 2^attempt seconds')
})

t.test('a target that keeps answering 429, or asks for too long a wait, ends the request with a reason', async t => {
  const always = await fakeTarget(t, limited('1'))
  const { client } = clientFor(always.url, { intervalMs: 0, maxRetries: 2 })
  await t.rejects(client.get('/v1/x', 'key'), new RequestNotAnswered('still rate limited (429) after 3 attempts'))
  const long = await fakeTarget(t, limited('3600'))
  const second = clientFor(long.url, { intervalMs: 0 })
  await t.rejects(
    second.client.get('/v1/x', 'key'),
    new RequestNotAnswered('rate limited (429) with Retry-After of 3600 s, longer than 120 s'),
  )
  t.equal(long.seen.length, 1)
})

t.test('the budget is never exceeded', async t => {
  const target = await fakeTarget(t, ok)
  const { client } = clientFor(target.url, { maxRequests: 2 })
  await client.get('/v1/a', 'key')
  await client.get('/v1/b', 'key')
  await t.rejects(client.get('/v1/c', 'key'), new RequestNotAnswered('the request budget (--max-requests 2) is spent'))
  t.equal(target.seen.length, 2)
})

t.test(
  'a redirect is not followed (the key would go with it); an unreachable target is a reason, not a crash',
  async t => {
    const target = await fakeTarget(t, (_, res) =>
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end(),
    )
    const { client } = clientFor(target.url)
    const answer = await client.get('/v1/a', 'key')
    t.equal(answer.status, 302)
    t.equal(answer.location, 'http://127.0.0.1:1/elsewhere', 'where it points, for the report')
    t.equal(answer.json, undefined, 'no JSON body')
    t.equal(target.seen.length, 1, 'asked once: nothing followed the redirect')
    const closed = createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise(resolve => closed.close(resolve))
    const dead = clientFor(`http://127.0.0.1:${port}`)
    await t.rejects(dead.client.get('/v1/a', 'key'), new NoAnswer('no answer from the target: ECONNREFUSED'))
  },
)

/** A timeout signal the test fires itself, on an event, instead of waiting a minute. */
function timeouts() {
  const controllers: AbortController[] = []
  return {
    timeoutSignal: (ms: number) => {
      t.equal(ms, 60_000, 'the default timeout is asked for')
      const controller = new AbortController()
      controllers.push(controller)
      return controller.signal
    },
    expire: () => controllers.at(-1)?.abort(),
  }
}

t.test('an answer that does not come, or does not finish, in time is a NoAnswer saying so', async t => {
  const clock = timeouts()
  // Never answers: the request is timed out once the server has it.
  const silent = await fakeTarget(t, () => clock.expire())
  const { client } = clientFor(silent.url, { timeoutSignal: clock.timeoutSignal })
  await t.rejects(client.get('/v1/a', 'key'), new NoAnswer('no answer within 60 s'))
  // Answers the headers and half the body, then stalls: timed out once the client has the headers.
  const stalling = await fakeTarget(t, (_, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '20' })
    res.write('{"serverlessCosts":')
  })
  const second = clientFor(stalling.url, {
    timeoutSignal: clock.timeoutSignal,
    fetch: async (url, init) => {
      const res = await fetch(url, init)
      clock.expire()
      return res
    },
  })
  await t.rejects(second.client.get('/v1/a', 'key'), new NoAnswer('the answer (status 200) did not finish within 60 s'))
})

t.test('a body cut short (the connection closes before Content-Length bytes) is a NoAnswer', async t => {
  const target = await fakeTarget(t, (_, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
    res.write('{"serverlessCosts":[', () => res.destroy())
  })
  const { client } = clientFor(target.url)
  const err = await client.get('/v1/a', 'key').catch((e: unknown) => e)
  t.type(err, NoAnswer)
  t.match(
    (err as Error).message,
    /^the answer \(status 200\) was cut short: the connection ended before the body was complete \(\S+\)$/,
  )
})

t.test('a key a target echoes is hidden in what the client returns: text, JSON, Location', async t => {
  const target = await fakeTarget(t, (req, res) =>
    res
      .writeHead(302, { 'content-type': 'application/json', location: `http://x/?k=${req.headers.authorization}` })
      // The JSON spells the key with escapes once: parsed, it is the key all the same.
      .end(JSON.stringify({ message: `key ${req.headers.authorization}` }).replace('fw_', '\\u0066w_') + ' '),
  )
  const { client } = clientFor(target.url)
  const answer = await client.get('/v1/a', 'key')
  t.same(answer.json, { message: 'key Bearer [redacted]' })
  t.equal(answer.location, 'http://x/?k=Bearer [redacted]')
  t.equal(
    answer.text,
    '{"message":"key Bearer \\u0066w_secretKey01"} ',
    'the text as sent: its escape hides the key already',
  )
  const plain = await fakeTarget(t, (req, res) => res.writeHead(401).end(`no ${req.headers.authorization}`))
  t.equal((await clientFor(plain.url).client.get('/v1/a', 'key')).text, 'no Bearer [redacted]')
})

t.test('retryAfterMs reads seconds and dates, and nothing else', async t => {
  const now = Date.parse('2026-11-25T00:00:00Z')
  t.equal(retryAfterMs('120', now), 120_000)
  t.equal(retryAfterMs(' 0 ', now), 0)
  t.equal(retryAfterMs('Wed, 25 Nov 2026 00:01:00 GMT', now), 60_000)
  t.equal(retryAfterMs('Wed, 24 Nov 2026 00:00:00 GMT', now), 0, 'a date in the past means now')
  t.equal(retryAfterMs('soon', now), null)
  t.equal(retryAfterMs(null, now), null)
})
