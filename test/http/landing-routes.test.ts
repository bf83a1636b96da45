// GET /: a page of pointers for a browser, the 404 envelope of an unknown path (with the same
// pointers in its message) for an API client.
import t from 'tap'
import { contractDocument } from '../../server/contract.js'
import { fixtureApp } from '../helpers.js'

// What Chromium and Firefox send when a person opens the URL
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

t.test('a person who opens http://127.0.0.1:8080 in a browser gets links to the explorer and the docs', async t => {
  const app = fixtureApp([])
  const res = await app.inject({ url: '/', headers: { accept: BROWSER, host: '127.0.0.1:9123' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  for (const link of ['/explorer', '/docs', '/openapi.yaml', '/_mock/health', '/_mock/accounts'])
    t.match(res.body, `href="${link}"`, link)
  t.match(res.body, 'fw_mockAcmeProdEng01', 'an example key')
  t.match(
    res.body,
    "'http://127.0.0.1:9123/v1/accounts/acme-ai/billingUsage?",
    'a curl line for the host it was opened on',
  )
})

t.test('an API client (curl, an SDK) gets the 404 envelope, whose message says where to go', async t => {
  const app = fixtureApp([])
  for (const accept of [undefined, '*/*', 'application/json']) {
    const res = await app.inject({ url: '/', headers: accept ? { accept } : {} })
    t.equal(res.statusCode, 404, String(accept))
    t.same(res.json(), {
      code: 5,
      message:
        'Not Found: this is fireworks-usage-mock; the API is under /v1/accounts/{account_id}/ ' +
        '(billingUsage, billing/summary, accountUsageFilterOptions); open /explorer or /docs in a browser',
      details: [],
    })
  }
  const post = await app.inject({ method: 'POST', url: '/', headers: { accept: BROWSER } })
  t.same([post.statusCode, post.json().message], [404, 'Not Found'], 'another method: any unknown path')
})

t.test('a host header cannot inject markup into the page', async t => {
  const app = fixtureApp([])
  const res = await app.inject({ url: '/', headers: { accept: BROWSER, host: '<script>x</script>' } })
  t.notMatch(res.body, '<script>')
  t.match(res.body, '&lt;script&gt;x&lt;/script&gt;')
})

t.test("/docs' Authorize dialog names an example key: the security scheme's description", async t => {
  const scheme = (contractDocument() as any).components.securitySchemes.bearerAuth
  t.match(scheme.description, /`fw_mockAcmeProdEng01` \(account `acme-ai`, key `prod-eng`\)/)
})
