// Registers routes, and for every path the methods it does not serve: grpc-gateway answers a
// known path with another method by 501 {"code":12,"message":"Method Not Allowed"} [contract 4].

import type { FastifyInstance, HTTPMethods, RouteHandlerMethod, RouteShorthandOptions } from 'fastify'
import { methodNotAllowed } from '../errors.js'

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']

export interface RouteSpec {
  method: HTTPMethods
  url: string
  handler: RouteHandlerMethod
  options?: RouteShorthandOptions
}

export function registerRoutes(app: FastifyInstance, routes: readonly RouteSpec[]): void {
  const served = new Map<string, Set<HTTPMethods>>()
  for (const r of routes) {
    app.route({ ...r.options, method: r.method, url: r.url, handler: r.handler })
    served.set(r.url, (served.get(r.url) ?? new Set()).add(r.method))
  }
  for (const [url, methods] of served) {
    const others = METHODS.filter(m => !methods.has(m))
    app.route({
      method: others,
      url,
      handler: async () => {
        throw methodNotAllowed()
      },
    })
  }
}
