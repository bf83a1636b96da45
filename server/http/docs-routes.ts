// The published contract, served: /openapi.json and /openapi.yaml (@fastify/swagger in static
// mode, the document of openapi/fireworks-usage.yaml) and a Swagger UI at /docs to try requests.
//
// Built on first use, in an app of its own that these routes forward to: loading and registering
// the two plugins took ~60 ms of every start-up (a fifth of it), for pages a test run never
// opens. The first request to them waits that long instead.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { contractDocument } from '../contract.js'
import { registerRoutes } from './routes.js'

const DOCS_URLS = ['/openapi.json', '/openapi.yaml', '/docs', '/docs/*']
/** Set by the transport, not by the page: the forwarding reply writes its own. */
const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date'])

export function registerDocsRoutes(app: FastifyInstance): void {
  let docs: Promise<FastifyInstance> | undefined
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    // A failed build is tried again by the next request, not remembered.
    docs ??= buildDocsApp().catch((err: unknown) => {
      docs = undefined
      throw err
    })
    const res = await (await docs).inject({ method: 'GET', url: request.url, headers: request.headers })
    // A page the docs do not have is this server's 404, in its own envelope.
    if (res.statusCode === 404) return reply.callNotFound()
    for (const [name, value] of Object.entries(res.headers))
      if (!HOP_HEADERS.has(name) && value !== undefined) reply.header(name, value)
    return reply.code(res.statusCode).send(res.rawPayload)
  }
  app.register(async scope =>
    registerRoutes(
      scope,
      DOCS_URLS.map(url => ({ method: 'GET' as const, url, handler: forward })),
    ),
  )
}

async function buildDocsApp(): Promise<FastifyInstance> {
  const [{ default: Fastify }, { default: swagger }, { default: swaggerUi }] = await Promise.all([
    import('fastify'),
    import('@fastify/swagger'),
    import('@fastify/swagger-ui'),
  ])
  const docs = Fastify({ exposeHeadRoutes: false })
  // The document already parsed for the routes' contracts.
  await docs.register(swagger, { mode: 'static', specification: { document: contractDocument() as never } })
  await docs.register(swaggerUi, { routePrefix: '/docs' })
  docs.get('/openapi.json', async () => docs.swagger())
  docs.get('/openapi.yaml', async (_request, reply) =>
    reply.type('application/yaml').send(docs.swagger({ yaml: true })),
  )
  await docs.ready()
  return docs
}
