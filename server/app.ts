// buildApp(config) -> a Fastify instance with every route; it never listens (main.ts does).

import Fastify, { type FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import { loadWorld, type World } from './data/world.js'
import { KeyRing } from './http/auth.js'
import type { AppContext } from './http/context.js'
import { installErrorHandling } from './http/errors-http.js'
import { mockRoutes } from './http/mock-routes.js'
import { parseQuerystring } from './http/querystring.js'
import { registerRoutes } from './http/routes.js'
import { apiRoutes } from './http/api-routes.js'

export interface AppDeps {
  /** A world built elsewhere (tests share one); by default it is loaded from the config. */
  world?: World
}

export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const world = deps.world ?? loadWorld(config)
  const ctx: AppContext = {
    config,
    world,
    keys: new KeyRing(world),
    now: config.now === null ? () => Date.now() : () => config.now as number,
  }
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, redact: ['req.headers.authorization'] },
    // grpc-gateway serves no implicit HEAD: HEAD on a GET path is 501 like any other method.
    exposeHeadRoutes: false,
    routerOptions: { querystringParser: parseQuerystring },
  })
  installErrorHandling(app)
  registerRoutes(app, [...apiRoutes(ctx), ...mockRoutes(ctx)])
  return app
}
