// The usage explorer at /explorer: static files only (server/explorer/, plain ES modules, no
// build step) and the uPlot chart library served straight from its npm package, so the page
// works offline. The page itself calls only the public API (and the mock's /_mock/health and
// /_mock/accounts when they are there), so it doubles as a reference client.

import type { FastifyInstance, FastifyReply } from 'fastify'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, extname, join } from 'node:path'
import { PACKAGE_ROOT } from '../paths.js'
import { registerRoutes, type RouteSpec } from './routes.js'

/** Not compiled: the page's files are served as they are, from the package (see package.json `files`). */
export const EXPLORER_DIR = join(PACKAGE_ROOT, 'server', 'explorer')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
}

/** The chart library's browser build, resolved through Node's module resolution (not a node_modules path). */
function uplotFiles(): Record<string, string> {
  const dist = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.iife.min.js'))
  return { 'uPlot.iife.min.js': join(dist, 'uPlot.iife.min.js'), 'uPlot.min.css': join(dist, 'uPlot.min.css') }
}

interface StaticFile {
  type: string
  body: Buffer
}

function load(path: string): StaticFile {
  const type = TYPES[extname(path)]
  if (!type) throw new Error(`explorer: no content type for ${path}`)
  return { type, body: readFileSync(path) }
}

function send(reply: FastifyReply, file: StaticFile) {
  // Small files read once at start-up; no-cache makes a browser revalidate after an upgrade.
  return reply.type(file.type).header('cache-control', 'no-cache').send(file.body)
}

export function registerExplorerRoutes(app: FastifyInstance): void {
  const files = new Map<string, StaticFile>()
  for (const name of readdirSync(EXPLORER_DIR)) files.set(`/explorer/${name}`, load(join(EXPLORER_DIR, name)))
  for (const [name, path] of Object.entries(uplotFiles())) files.set(`/explorer/vendor/${name}`, load(path))
  const page = files.get('/explorer/index.html')
  if (!page) throw new Error(`explorer: ${EXPLORER_DIR}/index.html is missing`)

  const routes: RouteSpec[] = [
    { method: 'GET', url: '/explorer', handler: async (_request, reply) => send(reply, page) },
    { method: 'GET', url: '/explorer/', handler: async (_request, reply) => reply.redirect('/explorer', 301) },
    ...[...files].map(([url, file]): RouteSpec => ({
      method: 'GET',
      url,
      handler: async (_request, reply) => send(reply, file),
    })),
  ]
  app.register(async scope => registerRoutes(scope, routes))
}
