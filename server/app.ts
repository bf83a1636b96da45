// buildApp(config) -> a Fastify instance with every route; it never listens (main.ts does).

import rateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance } from 'fastify'
import { createHash } from 'node:crypto'
import type { Config } from './config.js'
import { resourceExhausted } from './errors.js'
import { loadWorld, type World } from './data/world.js'
import { apiRoutes, journalEntry } from './http/api-routes.js'
import { registerBenchRoutes } from './http/bench-routes.js'
import { createContext, type AppContext } from './http/context.js'
import { installContractCheck } from './http/contract-check.js'
import { registerDocsRoutes } from './http/docs-routes.js'
import { installErrorHandling } from './http/errors-http.js'
import { registerMockRoutes } from './http/mock-routes.js'
import { parseQuerystring } from './http/querystring.js'
import { registerRoutes } from './http/routes.js'

export interface AppDeps {
  /** A world built elsewhere (tests share one); by default it is loaded from the config. */
  world?: World
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The mock's state, for the in-process API. */
    mock: AppContext
  }
}

/** Rate limits count per API key (by a digest of the bearer token), else per client address. */
function rateLimitKey(ctx: AppContext, authorization: string | undefined, ip: string): string {
  const who = authorization ? createHash('sha256').update(authorization).digest('base64') : `ip:${ip}`
  return `${ctx.rateLimitEpoch}:${who}`
}

export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const ctx = createContext(config, deps.world ?? loadWorld(config))
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, redact: ['req.headers.authorization'] },
    // grpc-gateway serves no implicit HEAD: HEAD on a GET path is 501 like any other method.
    exposeHeadRoutes: false,
    routerOptions: { querystringParser: parseQuerystring },
  })
  app.decorate('mock', ctx)
  installErrorHandling(app)
  if (config.validateResponses) installContractCheck(app)
  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.config?.journal) ctx.journal.add(journalEntry(request, reply))
  })
  if (config.rateLimit) {
    const { max, windowMs, text } = config.rateLimit
    app.register(rateLimit, {
      global: false,
      keyGenerator: request => rateLimitKey(ctx, request.headers.authorization, request.ip),
      errorResponseBuilder: (_request, context) =>
        resourceExhausted(`rate limit of ${text} per API key exceeded; retry in ${context.after}`),
    })
  }
  app.register(async scope => registerRoutes(scope, apiRoutes(ctx)))
  registerMockRoutes(app, ctx)
  registerDocsRoutes(app)
  if (config.benchRoutes) registerBenchRoutes(app)
  return app
}
