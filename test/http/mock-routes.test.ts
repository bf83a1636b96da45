// The /_mock scope: a refused query string is a 400 on every control; ADMIN_TOKEN and ADMIN=off.
import t from 'tap'
import { DAY_QUERY, fixtureApp, usage } from '../helpers.js'

t.test('a query string the parser refuses is a 400 on the control routes too', async t => {
  const app = fixtureApp([])
  for (const url of [
    '/_mock/requests?account[a][b][c][d]=x',
    '/_mock/records?account=test-co&a[b][c][d][e]=1',
    '/_mock/clock?__proto__[x]=1',
  ]) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 400, url)
    t.match(res.json().message, /^invalid query/, url)
  }
})

t.test('ADMIN_TOKEN protects the controls but not health; ADMIN=off removes them', async t => {
  const app = fixtureApp([], { adminToken: 's3cret' })
  const denied = await app.inject({ url: '/_mock/clock' })
  t.same(
    [denied.statusCode, denied.json()],
    [
      401,
      {
        code: 16,
        message: "this server's /_mock/ controls require its ADMIN_TOKEN in the x-mock-admin-token header",
        details: [],
      },
    ],
  )
  const wrong = await app.inject({ url: '/_mock/clock', headers: { 'x-mock-admin-token': 'wrong' } })
  t.same(
    [wrong.statusCode, wrong.json().message],
    [401, "the x-mock-admin-token header does not match this server's ADMIN_TOKEN"],
  )
  t.equal((await app.inject({ url: '/_mock/clock', headers: { 'x-mock-admin-token': 's3cret' } })).statusCode, 200)
  t.equal((await app.inject({ url: '/_mock/health' })).statusCode, 200)
  t.equal((await usage(app, DAY_QUERY)).status, 200, 'the real API does not need it')
  const off = fixtureApp([], { admin: 'off' })
  t.same(
    [(await off.inject({ url: '/_mock/clock' })).statusCode, (await off.inject({ url: '/_mock/clock' })).json().code],
    [404, 5],
  )
  t.equal((await off.inject({ url: '/_mock/health' })).statusCode, 200)
})
