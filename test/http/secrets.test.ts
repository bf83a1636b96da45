// Secrets: never logged (at any level), never in the journal, never echoed in an answer.
import { Writable } from 'node:stream'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { AUTH, fixtureWorld, SECRET, testConfig } from '../helpers.js'

t.test('no log line at trace level carries an API key or the admin token', async t => {
  const lines: string[] = []
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const app = buildApp(testConfig({ logLevel: 'trace', adminToken: 'adm1n-s3cret' }), {
    world: fixtureWorld([]),
    logStream,
  })
  app.get('/boom', async () => {
    throw new Error('crash')
  })
  const Q = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'
  await app.inject({ url: `/v1/accounts/test-co/billingUsage?${Q}`, headers: AUTH })
  await app.inject({
    url: `/v1/accounts/test-co/billingUsage?${Q}`,
    headers: { authorization: 'Bearer fw_wrongSecret99' },
  })
  await app.inject({ url: `/v1/accounts/other-co/billingUsage?${Q}`, headers: AUTH })
  await app.inject({ url: '/_mock/clock', headers: { 'x-mock-admin-token': 'adm1n-s3cret' } })
  await app.inject({ url: '/_mock/clock', headers: { 'x-mock-admin-token': 'wrong-token' } })
  await app.inject({ url: '/boom', headers: AUTH })
  const log = lines.join('')
  t.equal(lines.filter(l => JSON.parse(l).url !== undefined).length, 6, 'the six requests were logged, a line each')
  t.match(log, /unhandled error/, 'the crash was logged')
  for (const secret of [SECRET, 'fw_wrongSecret99', 'adm1n-s3cret', 'wrong-token'])
    t.notOk(log.includes(secret), `${secret} is not in the log`)
})

t.test('answers and the journal never carry a secret', async t => {
  const app = buildApp(testConfig(), { world: fixtureWorld([]) })
  const bodies: string[] = []
  for (const authorization of [`Bearer ${SECRET}`, 'Bearer fw_wrongSecret99', 'Basic fw_wrongSecret99'])
    bodies.push((await app.inject({ url: '/v1/accounts/other-co/billingUsage', headers: { authorization } })).body)
  bodies.push((await app.inject({ url: '/_mock/requests' })).body)
  for (const body of bodies) t.notMatch(body, /fw_testSecret01|fw_wrongSecret99/)
})
