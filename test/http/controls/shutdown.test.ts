// POST /_mock/shutdown: the server stops listening before it answers, then closes as on SIGTERM
// (main.ts exits the process; test/main-scripts.test.ts drives that from npx).
import { connect } from 'node:net'
import t from 'tap'
import { buildApp } from '../../../server/app.js'
import { fixtureApp, fixtureWorld, testConfig } from '../../helpers.js'

/** What a new TCP connection meets: 'connected', or the error code. */
const connectTo = (port: number) =>
  new Promise<string>(resolve => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (err: Error & { code?: string }) => resolve(err.code ?? err.message))
  })

t.test('it answers, the port is refused from then on, and what main.ts gave it runs once answered', async t => {
  let calls = 0
  let called: () => void = () => {}
  const stopped = new Promise<void>(resolve => (called = resolve))
  const shutdown = () => {
    calls++
    called()
  }
  const app = buildApp(testConfig(), { world: fixtureWorld([]), shutdown })
  t.teardown(() => app.close())
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  const res = await fetch(`${url}/_mock/shutdown`, { method: 'POST' })
  t.same([res.status, res.headers.get('connection'), await res.json()], [200, 'close', { status: 'shutting down' }])
  await stopped
  t.equal(calls, 1, 'the shutdown ran once, after the answer')
  t.equal(await connectTo(Number(new URL(url).port)), 'ECONNREFUSED')
})

t.test('in process, without a shutdown of its own, the app closes as mock.close() does', async t => {
  const app = buildApp(testConfig(), { world: fixtureWorld([]) })
  const closed = new Promise<void>(resolve => app.addHook('onClose', async () => resolve()))
  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  t.equal((await fetch(`${url}/_mock/shutdown`, { method: 'POST' })).status, 200)
  await closed
  t.equal(await connectTo(Number(new URL(url).port)), 'ECONNREFUSED')
  await app.close() // a second close, as a test's teardown would, is harmless
})

t.test('it is a control: behind ADMIN_TOKEN, absent with ADMIN=off, POST only', async t => {
  const guarded = fixtureApp([], { adminToken: 's3cret' })
  t.equal((await guarded.inject({ method: 'POST', url: '/_mock/shutdown' })).statusCode, 401)
  const off = fixtureApp([], { admin: 'off' })
  t.same((await off.inject({ method: 'POST', url: '/_mock/shutdown' })).json().code, 5)
  const open = fixtureApp([])
  t.same((await open.inject({ method: 'GET', url: '/_mock/shutdown' })).statusCode, 501)
})
