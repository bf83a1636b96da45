// Registers routes, each with its responses' contract from openapi/fireworks-usage.yaml, and
// for every path the methods it does not serve: grpc-gateway answers a known path with another
// method by 501 {"code":12,"message":"Method Not Allowed"} [contract 4], and nothing more (no
// Allow header: a client must not come to rely on one the real API does not send). The mock's
// own controls answer the same status and code, but say which methods the path serves, in the
// message and in an Allow header [ours].

import type { FastifyInstance, HTTPMethods, RouteHandlerMethod, RouteShorthandOptions } from 'fastify'
import { responseCheck } from '../contract.js'
import { controlMethodNotAllowed, methodNotAllowed } from '../errors.js'
import './fastify-types.js'

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']

export interface RouteSpec {
  method: HTTPMethods
  url: string
  handler: RouteHandlerMethod
  options?: RouteShorthandOptions
}

export interface RegisterOptions {
  /** Another method's 501 names the methods served, and sends them in Allow (the mock's controls). */
  sayAllowed?: boolean
}

export function registerRoutes(
  app: FastifyInstance,
  routes: readonly RouteSpec[],
  { sayAllowed = false }: RegisterOptions = {},
): void {
  const served = new Map<string, Set<HTTPMethods>>()
  // A path whose routes are journaled journals its other methods too: what did the client send?
  const journaled = new Set(routes.filter(r => r.options?.config?.journal).map(r => r.url))
  for (const r of routes) {
    const contract = responseCheck(r.method, r.url) ?? undefined
    app.route({
      ...r.options,
      config: { ...r.options?.config, contract },
      method: r.method,
      url: r.url,
      handler: r.handler,
    })
    served.set(r.url, (served.get(r.url) ?? new Set()).add(r.method))
  }
  for (const [url, methods] of served) {
    const others = METHODS.filter(m => !methods.has(m))
    const allowed = METHODS.filter(m => methods.has(m))
    app.route({
      method: others,
      url,
      config: { journal: journaled.has(url) },
      handler: async (request, reply) => {
        if (!sayAllowed) throw methodNotAllowed()
        void reply.header('allow', allowed.join(', '))
        throw controlMethodNotAllowed(request.method, request.originalUrl.split('?')[0] as string, allowed)
      },
    })
  }
}
