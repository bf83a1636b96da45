// GET /: the real API has nothing there (404), and neither does the mock for an API client, but
// a person who opens http://127.0.0.1:8080 in a browser gets a page of pointers instead of a
// JSON error. Told apart by Accept: browsers ask for text/html, curl and SDKs do not. Other
// methods on / stay the 404 of any unknown path.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { notFound } from '../errors.js'
import { VERSION } from '../paths.js'

const EXAMPLE_KEY = 'fw_mockAcmeProdEng01'

/** An API client's answer: the envelope of any unknown path, with where to go. */
const POINTERS =
  'Not Found: this is fireworks-usage-mock; the API is under /v1/accounts/{account_id}/ ' +
  '(billingUsage, billing/summary, accountUsageFilterOptions); open /explorer or /docs in a browser'

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

/** The page; its curl line names the host the browser used. */
const page = (host: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>fireworks-usage-mock ${VERSION}</title>
  </head>
  <body>
    <h1>fireworks-usage-mock ${VERSION}</h1>
    <p>A mock of the Fireworks AI account-usage API.</p>
    <ul>
      <li><a href="/explorer">Usage explorer</a>: an account's daily usage as a chart and a table</li>
      <li><a href="/docs">API docs</a>: the OpenAPI document in Swagger UI, to try requests
        (<a href="/openapi.yaml">openapi.yaml</a>, <a href="/openapi.json">openapi.json</a>)</li>
      <li><a href="/_mock/health">/_mock/health</a>, and <a href="/_mock/accounts">/_mock/accounts</a>: every account and key
        (not with ADMIN=off; with ADMIN_TOKEN, send it in the <code>x-mock-admin-token</code> header)</li>
    </ul>
    <p>An API key of the default world: <code>${EXAMPLE_KEY}</code> (account <code>acme-ai</code>, key <code>prod-eng</code>):</p>
    <pre>curl -H 'Authorization: Bearer ${EXAMPLE_KEY}' \\
  'http://${escapeHtml(host)}/v1/accounts/acme-ai/billingUsage?startTime=2026-05-04T00:00:00Z&amp;endTime=2026-05-05T00:00:00Z&amp;groupBy=model_name'</pre>
  </body>
</html>
`

const acceptsHtml = (accept: string | undefined) => accept !== undefined && accept.includes('text/html')

export function registerLandingRoutes(app: FastifyInstance): void {
  app.get('/', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!acceptsHtml(request.headers.accept)) throw notFound(POINTERS)
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(page(request.headers.host ?? '127.0.0.1:8080'))
  })
}
