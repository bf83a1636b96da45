// Which session a request belongs to: the x-mock-session header, or the path prefix
// /_sessions/<name> for SDKs that only let you change the base URL
// (base_url = http://127.0.0.1:8080/_sessions/worker-3). The prefix is taken off before routing,
// so every route, the real API and /_mock/* alike, serves every session.

import type { FastifyInstance, FastifyRequest, RawRequestDefaultExpression } from 'fastify'
import { invalidArgument } from '../errors.js'
import { checkSessionName, DEFAULT_SESSION, type Session, type Sessions } from '../mock/sessions.js'
import './fastify-types.js'

const PREFIX = '/_sessions/'
/** The session named by the path prefix, kept on the raw request between rewriteUrl and the hook. */
const FROM_PATH = Symbol('sessionFromPath')
type RawWithSession = RawRequestDefaultExpression & { [FROM_PATH]?: string }

/** Fastify's rewriteUrl: /_sessions/<name>/rest -> /rest, remembering <name>. */
export function withoutSessionPrefix(raw: RawRequestDefaultExpression): string {
  const url = raw.url ?? '/'
  if (!url.startsWith(PREFIX)) return url
  const rest = url.slice(PREFIX.length)
  const end = rest.search(/[/?]/)
  ;(raw as RawWithSession)[FROM_PATH] = end === -1 ? rest : rest.slice(0, end)
  const path = end === -1 ? '/' : rest.slice(end)
  return path.startsWith('?') ? `/${path}` : path
}

function nameOf(request: FastifyRequest): string {
  const header = request.headers['x-mock-session']
  if (Array.isArray(header)) throw invalidArgument('x-mock-session must be given once')
  const fromPath = (request.raw as RawWithSession)[FROM_PATH]
  const fromHeader = header === undefined ? undefined : checkSessionName(header, 'the x-mock-session header')
  if (fromPath !== undefined) checkSessionName(fromPath, `the path prefix ${PREFIX}<name>`)
  if (fromHeader !== undefined && fromPath !== undefined && fromHeader !== fromPath)
    throw invalidArgument(
      `the x-mock-session header (${fromHeader}) and the path prefix ${PREFIX}${fromPath} name different sessions`,
    )
  return fromHeader ?? fromPath ?? DEFAULT_SESSION
}

/** Resolves every request's session first; an invalid name or one session too many is its answer. */
export function installSessions(app: FastifyInstance, sessions: Sessions): void {
  app.addHook('onRequest', async request => {
    const session = sessions.get(nameOf(request))
    sessions.use(session)
    request.mockSession = session
  })
}

export function sessionOf(request: FastifyRequest): Session {
  if (!request.mockSession) throw new Error('a route ran before its session was resolved')
  return request.mockSession
}
