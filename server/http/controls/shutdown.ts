// POST /_mock/shutdown: stops the whole server (every session's), as SIGTERM does: in-flight
// requests finish, then the process exits 0. For scripts that started it with npx or npm, whose
// `kill $!` reaches only npm's shell, not the server (npm runs a package's bin under `sh -c`).
// In process (startMockServer) it closes the server, as mock.close() does.

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../../pipeline/context.js'
import type { RouteSpec } from '../routes.js'

export function shutdownControls(ctx: AppContext): RouteSpec[] {
  return [
    {
      method: 'POST',
      url: '/_mock/shutdown',
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        // No new connection from here on: the port is free when this answer arrives, so the
        // caller's next step may bind it. (Closing the listening socket is synchronous; the
        // close that follows waits for the connections still open, this one included.)
        request.server.server.close()
        reply.header('connection', 'close')
        return { status: 'shutting down' }
      },
      // Once answered, and after the server's own onResponse hooks (this request's log line).
      options: { onResponse: async () => ctx.shutdown() },
    },
  ] as RouteSpec[]
}
