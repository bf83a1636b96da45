// The published contract, served: /openapi.json, /openapi.yaml and the Swagger UI at /docs.
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { contractDocument } from '../../server/contract.js'
import { fixtureWorld, testConfig } from '../helpers.js'

const doc = contractDocument() as Record<string, any>

t.test('the document is served as JSON and YAML, with a Swagger UI at /docs', async t => {
  const app = buildApp(testConfig(), { world: fixtureWorld([]) })
  const json = await app.inject({ url: '/openapi.json' })
  t.equal(json.statusCode, 200)
  t.same(json.json().paths, doc.paths)
  const yaml = await app.inject({ url: '/openapi.yaml' })
  t.match(yaml.body, /^openapi: 3\.1\.0/)
  const ui = await app.inject({ url: '/docs' })
  t.equal(ui.statusCode, 200)
  t.match(ui.headers['content-type'], /text\/html/)
  const uiSpec = await app.inject({ url: '/docs/json' })
  t.same(uiSpec.json().paths, doc.paths, 'the UI loads the same document')
  t.same(
    uiSpec.json().servers.map((s: { url: string }) => s.url),
    ['/', '/_sessions/{session}'],
    'and tries requests against the server it came from, or a session of it',
  )
})

t.test('the docs are forwarded pages: a missing one is our 404, another method our 501', async t => {
  const app = buildApp(testConfig(), { world: fixtureWorld([]) })
  const missing = await app.inject({ url: '/docs/nowhere' })
  t.same([missing.statusCode, missing.json().code], [404, 5])
  const post = await app.inject({ method: 'POST', url: '/openapi.json' })
  t.same([post.statusCode, post.json()], [501, { code: 12, message: 'Method Not Allowed', details: [] }])
  const css = await app.inject({ url: '/docs/static/swagger-ui.css' })
  t.equal(css.statusCode, 200)
  t.match(css.headers['content-type'], /text\/css/)
  t.equal(Number(css.headers['content-length']), css.rawPayload.length, 'the length of the bytes sent')
})
