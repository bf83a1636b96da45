// The journal hook: every finished request to a journaled route (the real API's paths, every
// method) goes into its session's journal, with what the pipeline learnt of the caller
// (pipeline/journal.ts). Requests answered before the pipeline ran (another method's 501, a
// rate limit's 429) are journaled from their request line alone.

import type { FastifyInstance, FastifyRequest } from 'fastify'
import { journalDraft, journalEntry, type RequestLine } from '../pipeline/journal.js'
import './fastify-types.js'
import { queryOrRefusal } from './querystring.js'

/** The request line, as the pipeline and the journal read it. */
export function requestLine(request: FastifyRequest): RequestLine {
  return {
    method: request.method,
    path: request.url.split('?')[0] as string,
    params: request.params as { account_id?: string },
    query: queryOrRefusal(request),
  }
}

export function installJournal(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const session = request.mockSession
    if (!request.routeOptions.config?.journal || !session) return
    const draft = request.mockJournal ?? journalDraft(requestLine(request))
    session.journal.add(
      journalEntry(draft, {
        id: String(request.id),
        status: reply.statusCode,
        elapsedMs: reply.elapsedTime,
        timeMs: Date.now(),
      }),
    )
  })
}
