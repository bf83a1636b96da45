// Route registration: every other method on a served path is grpc-gateway's 501 (naming the
// methods served when asked to), and on a journaled path it is journaled too.
import Fastify from 'fastify'
import t from 'tap'
import { registerRoutes } from '../../server/http/routes.js'
import { installErrorHandling } from '../../server/http/errors-http.js'

t.test('another method on a served path: 501 code 12; an unknown path: 404 code 5', async t => {
  const app = Fastify({ exposeHeadRoutes: false })
  installErrorHandling(app)
  const seen: string[] = []
  app.addHook('onResponse', async request => {
    if (request.routeOptions.config?.journal) seen.push(`${request.method} ${request.url}`)
  })
  registerRoutes(app, [
    { method: 'GET', url: '/journaled', handler: async () => ({ ok: true }), options: { config: { journal: true } } },
    { method: 'PUT', url: '/plain', handler: async () => ({ ok: true }) },
  ])
  for (const method of ['POST', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'PUT'] as const) {
    const res = await app.inject({ method, url: '/journaled' })
    t.equal(res.statusCode, 501, method)
    if (method !== 'HEAD') t.same(res.json(), { code: 12, message: 'Method Not Allowed', details: [] })
  }
  t.equal((await app.inject({ method: 'GET', url: '/plain' })).statusCode, 501)
  t.equal((await app.inject({ method: 'PUT', url: '/plain' })).statusCode, 200)
  t.same((await app.inject({ url: '/elsewhere' })).json(), { code: 5, message: 'Not Found', details: [] })
  await app.inject({ url: '/journaled' })
  t.same(
    seen,
    [
      'POST /journaled',
      'DELETE /journaled',
      'HEAD /journaled',
      'OPTIONS /journaled',
      'PATCH /journaled',
      'PUT /journaled',
      'GET /journaled',
    ],
    'the path journals every method; /plain nothing',
  )
})

t.test('with sayAllowed, another method names the methods served, in the message and in Allow', async t => {
  const app = Fastify({ exposeHeadRoutes: false })
  installErrorHandling(app)
  registerRoutes(
    app,
    [
      { method: 'DELETE', url: '/things/:id', handler: async () => ({ ok: true }) },
      { method: 'GET', url: '/things/:id', handler: async () => ({ ok: true }) },
    ],
    { sayAllowed: true },
  )
  const res = await app.inject({ method: 'PATCH', url: '/things/7?x=1' })
  t.same(
    [res.statusCode, res.headers.allow, res.json()],
    [
      501,
      'GET, DELETE',
      { code: 12, message: 'Method Not Allowed: /things/7 answers GET, DELETE, not PATCH', details: [] },
    ],
  )
  t.equal((await app.inject({ method: 'GET', url: '/things/7' })).headers.allow, undefined, 'not on a served method')
})
