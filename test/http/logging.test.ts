// Log lines: one per request, health checks at debug, JSON for machines, readable lines for a
// person at a terminal.
import { once } from 'node:events'
import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { readableLogs, readableStream } from '../../server/http/logging.js'
import { AUTH, fixtureWorld, testConfig } from '../helpers.js'

function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter(l => l !== ''),
      )
      done()
    },
  })
  return { lines, stream }
}

const USAGE = '/v1/accounts/test-co/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'

t.test('JSON lines: one per request, health checks only at debug', async t => {
  for (const [logLevel, expected] of [
    ['info', [[30, `GET ${USAGE} 200`]]],
    [
      'debug',
      [
        [20, 'GET /_mock/health 200'],
        [30, `GET ${USAGE} 200`],
      ],
    ],
  ] as const) {
    const { lines, stream } = capture()
    const app = buildApp(testConfig({ logLevel }), { world: fixtureWorld([]), logStream: stream })
    await app.inject({ url: '/_mock/health' })
    await app.inject({ url: USAGE, headers: AUTH })
    const entries = lines.map(l => JSON.parse(l) as { level: number; msg: string; statusCode: number; url: string })
    t.same(
      entries.map(e => [e.level, e.msg.replace(/ [\d.]+ ms$/, '')]),
      expected,
      `LOG_LEVEL=${logLevel}`,
    )
    t.match(entries.at(-1), { method: 'GET', url: USAGE, statusCode: 200, responseTime: Number })
  }
})

t.test('readable lines for a person: time, level and the request, not JSON', async t => {
  const { lines, stream } = capture()
  const readable = readableStream(stream)
  const app = buildApp(testConfig({ logLevel: 'info' }), { world: fixtureWorld([]), logStream: readable })
  await app.inject({ url: USAGE, headers: AUTH })
  // pino-pretty formats asynchronously; ending it flushes every line to the destination.
  readable.end()
  await once(stream, 'finish')
  t.equal(lines.length, 1)
  t.match(
    lines[0],
    /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/v1\/accounts\/test-co\/billingUsage\?startTime=\S+ 200 [\d.]+ ms \{"reqId":"req-1"\}$/,
  )
  t.throws(() => JSON.parse(lines[0] as string), 'not a JSON line')
})

t.test('LOG_FORMAT=auto is readable on a terminal only', async t => {
  t.same(
    (['auto', 'pretty', 'json'] as const).map(f => [readableLogs(f, true), readableLogs(f, false)]),
    [
      [true, false],
      [true, true],
      [false, false],
    ],
  )
})
