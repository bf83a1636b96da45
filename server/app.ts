// buildApp(config) -> a Fastify instance with every route; it never listens (main.ts does).

import type rateLimitPlugin from '@fastify/rate-limit'
import { createRequire } from 'node:module'
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify'
import type { Config } from './config.js'
import { sha256 } from './digest.js'
import { resourceExhausted, unavailable } from './errors.js'
import { loadWorld, type World } from './data/world.js'
import { apiRoutes } from './http/api-routes.js'
import { registerBenchRoutes } from './http/bench-routes.js'
import { installContractCheck } from './http/contract-check.js'
import { registerDocsRoutes } from './http/docs-routes.js'
import { registerExplorerRoutes } from './http/explorer-routes.js'
import './http/fastify-types.js'
import { installJournal } from './http/journal.js'
import {
  answerConnect,
  clientError,
  frameworkError,
  installErrorHandling,
  MAX_PARAM_LENGTH,
} from './http/errors-http.js'
import { registerLandingRoutes } from './http/landing-routes.js'
import { logRequests, loggerOptions } from './http/logging.js'
import { registerMockRoutes } from './http/mock-routes.js'
import { parseQuerystring } from './http/querystring.js'
import { registerRoutes } from './http/routes.js'
import { installSessions, sessionOf, withoutSessionPrefix } from './http/sessions.js'
import { createContext } from './pipeline/context.js'

export interface AppDeps {
  /** A world built elsewhere (tests share one); by default it is loaded from the config. */
  world?: World
  /** Where log lines go (default stdout as JSON lines); main.ts passes a readable stream on a terminal. */
  logStream?: NodeJS.WritableStream
  /** The wall clock sessions expire by (tests move it instead of sleeping). */
  wall?: () => number
  /** What POST /_mock/shutdown does after answering (main.ts: a graceful exit); by default the app closes. */
  shutdown?: () => void
  /** How injected delays wait (default a timer; tests record or hold them instead of waiting). */
  sleep?: (ms: number) => Promise<void>
}

export const REQUEST_TIMEOUT_MS = 30_000

/**
 * Fastify's schema compilers (ajv, fast-json-stringify), loaded only if a route ever declares a
 * schema: none of ours does (contract.ts checks answers, and only when asked), and loading them
 * took ~25 ms of every start-up. Resolved from Fastify's own package. One difference from
 * Fastify's defaults: given a validator compiler, Fastify leaves the keys of a `headers` schema as
 * written instead of lower-casing them, so a header schema must name headers in lower case.
 */
function onFirstUse(compiler: string) {
  let selector: ((...args: unknown[]) => unknown) | undefined
  return (...args: unknown[]) => {
    selector ??= (createRequire(createRequire(import.meta.url).resolve('fastify'))(compiler) as () => typeof selector)()
    return selector!(...args)
  }
}

/**
 * Rate limits count per session and API key (by a digest of the bearer token), else per client
 * address; a reset of the session starts its counters afresh.
 */
function rateLimitKey(request: FastifyRequest): string {
  const session = sessionOf(request)
  const authorization = request.headers.authorization
  const who = authorization ? sha256(authorization) : `ip:${request.ip}`
  return `${session.name}:${session.rateLimitEpoch}:${who}`
}

export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const ctx = createContext(
    config,
    deps.world ?? loadWorld(config),
    deps.wall,
    () => (deps.shutdown ? deps.shutdown() : void app.close()),
    deps.sleep,
  )
  const app = Fastify({
    logger: loggerOptions(config, deps.logStream),
    // One line per request, written by logRequests (Fastify's own logging writes two).
    logController: new LogController({ disableRequestLogging: true }),
    // grpc-gateway serves no implicit HEAD: HEAD on a GET path is 501 like any other method.
    exposeHeadRoutes: false,
    schemaController: {
      compilersFactory: {
        buildValidator: onFirstUse('@fastify/ajv-compiler') as never,
        buildSerializer: onFirstUse('@fastify/fast-json-stringify-compiler') as never,
      },
    },
    return503OnClosing: false,
    // A client has this long to send its whole request (Fastify's default is no limit, which lets
    // a slow client hold a connection forever); past it Node reports it and clientError answers 408.
    requestTimeout: REQUEST_TIMEOUT_MS,
    routerOptions: { querystringParser: parseQuerystring, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: frameworkError,
    clientErrorHandler: clientError,
    // /_sessions/<name>/... serves the session <name> at every path (http/sessions.ts).
    rewriteUrl: withoutSessionPrefix,
  })
  app.server.on('connect', answerConnect)
  app.decorate('mock', ctx)
  installErrorHandling(app)
  logRequests(app)
  // While closing, a request that still arrives on an open keep-alive connection gets the
  // real envelope (503, UNAVAILABLE) and the connection closes; Fastify's own 503 has another shape.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return
    reply.header('connection', 'close')
    throw unavailable('the server is shutting down')
  })
  installSessions(app, ctx.sessions)
  if (config.validateResponses) installContractCheck(app)
  installJournal(app)
  if (config.rateLimit) {
    const { text } = config.rateLimit
    // Loaded only when limits are on (RATE_LIMIT is off by default): start-up need not pay for it.
    const rateLimit = createRequire(import.meta.url)('@fastify/rate-limit') as typeof rateLimitPlugin
    app.register(rateLimit, {
      global: false,
      keyGenerator: rateLimitKey,
      errorResponseBuilder: (_request, context) =>
        resourceExhausted(`rate limit of ${text} per API key exceeded; retry in ${context.after}`),
    })
  }
  app.register(async scope => {
    // [gw] a POST body (usageCosts:query) is read as JSON whatever its content type says.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body))
    registerRoutes(scope, apiRoutes(ctx))
  })
  registerMockRoutes(app, ctx)
  registerDocsRoutes(app)
  registerExplorerRoutes(app)
  registerLandingRoutes(app)
  if (config.benchRoutes) registerBenchRoutes(app)
  return app
}
