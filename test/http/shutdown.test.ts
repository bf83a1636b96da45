// Closing: a request in flight completes; one that still arrives on an open keep-alive
// connection gets 503 UNAVAILABLE in the envelope and the connection closes.
import { connect } from 'node:net'
import t from 'tap'
import { fixtureApp } from '../helpers.js'

t.test('during close, in-flight work finishes and late requests get the envelope', async t => {
  const app = fixtureApp([])
  const port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port)
  const socket = connect(port, '127.0.0.1')
  let data = ''
  socket.on('data', d => (data += String(d)))
  const request = (extra = '') =>
    `GET /v1/accounts/test-co/billingUsage?startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer fw_testSecret01\r\n${extra}\r\n`
  socket.write(request('x-mock-delay-ms: 400\r\n'))
  await new Promise(r => setTimeout(r, 100))
  const closed = app.close()
  await new Promise(r => setTimeout(r, 50))
  socket.write(request())
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
