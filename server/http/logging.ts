// Logs: one line per request (Fastify's own logging writes two, "incoming request" and "request
// completed"), health checks at debug so a container's probe does not fill the log, secrets
// never written. Machines get JSON lines; a person at a terminal gets readable lines.

import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import { createRequire } from 'node:module'
import type { Config } from '../config.js'
import { isHealth } from './mock-routes.js'

/** Secrets never reach a log line, whatever serializer logs headers. */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-mock-admin-token"]',
  'headers.authorization',
  '*.headers.authorization',
]

/** LOG_FORMAT=auto is readable lines on a terminal and JSON lines anywhere else (pipes, files, containers). */
export function readableLogs(format: Config['logFormat'], stdoutIsTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTerminal)
}

/** Readable lines: `[17:20:01.123] INFO: GET /v1/accounts/acme-ai/billingUsage?... 200 3.1 ms {"reqId":"req-1"}`. */
export function readableStream(destination: NodeJS.WritableStream = process.stdout): NodeJS.WritableStream {
  // The request's fields are in the message already; other fields (an error, say) still show.
  const ignore = 'pid,hostname,method,url,statusCode,responseTime'
  // Loaded only for a terminal: machines get JSON lines, and start-up does not pay for it.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty')
  return pretty({
    destination,
    colorize: destination === process.stdout,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore,
    singleLine: true,
  })
}

export function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false
  return { level: config.logLevel, redact: REDACT, ...(stream ? { stream } : {}) }
}

/** One line per finished request; Fastify's own request logging must be off (see app.ts). */
export function logRequests(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const ms = Math.round(reply.elapsedTime * 10) / 10
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: ms }
    request.log[isHealth(request.url) ? 'debug' : 'info'](
      line,
      `${request.method} ${request.url} ${reply.statusCode} ${ms} ms`,
    )
  })
}
