// The mock's own routes, under /_mock/ so they never mix with the real API's names: health
// always, the controls (controls/) unless ADMIN=off, behind ADMIN_TOKEN when it is set.
// Bodies are read as text so that problems can name the line they are on.

import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { sha256 } from '../digest.js'
import { unauthenticated } from '../errors.js'
import { VERSION } from '../paths.js'
import { formatUtc } from '../time.js'
import type { AppContext } from '../pipeline/context.js'
import { controlRoutes } from './controls/index.js'
import { queryOf } from './querystring.js'
import { registerRoutes, type RouteSpec } from './routes.js'
import { sessionOf } from './sessions.js'

/** Uploads of records may be large; the real API's routes keep Fastify's default. */
const BODY_LIMIT = 64 * 1024 * 1024

/** The health check: never behind the admin token, and logged at debug (logging.ts). */
export const isHealth = (url: string) => url === '/_mock/health' || url.startsWith('/_mock/health?')

function healthRoute(ctx: AppContext): RouteSpec {
  return {
    method: 'GET',
    url: '/_mock/health',
    handler: async (request: FastifyRequest) => ({
      status: 'ok',
      version: VERSION,
      seed: ctx.world.seed,
      now: formatUtc(sessionOf(request).clock.now()),
      // Answers depend on these: DST rules come from the runtime's time-zone database.
      runtime: { node: process.versions.node, tz: process.versions.tz ?? 'unknown' },
    }),
  }
}

/** Registers /_mock/health always, and the controls unless ADMIN=off, in their own scope. */
export function registerMockRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.register(async scope => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    )
    // A query string the parser refused is a 400 on every control route (a route reading no
    // parameter, or an optional one, would otherwise answer as if it had not been given).
    scope.addHook('preValidation', async request => {
      queryOf(request)
    })
    const token = ctx.config.adminToken
    if (token !== null) {
      // Compared as digests of equal length, in constant time.
      const expected = Buffer.from(sha256(token))
      scope.addHook('onRequest', async request => {
        if (isHealth(request.url)) return
        const given = request.headers['x-mock-admin-token']
        // The message names the header: a 401 that does not say what it wants leaves one guessing.
        if (typeof given !== 'string')
          throw unauthenticated(
            "this server's /_mock/ controls require its ADMIN_TOKEN in the x-mock-admin-token header",
          )
        if (!timingSafeEqual(Buffer.from(sha256(given)), expected))
          throw unauthenticated("the x-mock-admin-token header does not match this server's ADMIN_TOKEN")
      })
    }
    registerRoutes(scope, [healthRoute(ctx), ...(ctx.config.admin === 'on' ? controlRoutes(ctx) : [])], {
      sayAllowed: true,
    })
  })
}
