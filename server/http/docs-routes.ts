// The published contract, served: /openapi.json and /openapi.yaml (@fastify/swagger in static
// mode, the document of openapi/fireworks-usage.yaml) and a Swagger UI at /docs to try requests.

import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { contractDocument } from '../contract.js'
import { registerRoutes } from './routes.js'

export function registerDocsRoutes(app: FastifyInstance): void {
  app.register(async scope => {
    // The document already parsed for the routes' contracts (parsing the YAML costs ~100 ms).
    await scope.register(swagger, { mode: 'static', specification: { document: contractDocument() as never } })
    await scope.register(swaggerUi, { routePrefix: '/docs' })
    registerRoutes(scope, [
      { method: 'GET', url: '/openapi.json', handler: async () => scope.swagger() },
      {
        method: 'GET',
        url: '/openapi.yaml',
        handler: async (_request, reply) => reply.type('application/yaml').send(scope.swagger({ yaml: true })),
      },
    ])
  })
}
