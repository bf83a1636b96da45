// Everything the mock adds to Fastify's types, in one place: what a request carries between
// hooks and handlers, what the app instance exposes, and what a route's config says. A module
// that reads one of these imports this file, so the augmentation is in every program (and every
// .d.ts) that uses it.

import type { ResponseCheck } from '../contract.js'
import type { Session } from '../mock/sessions.js'
import type { AppContext } from '../pipeline/context.js'
import type { JournalDraft } from '../pipeline/journal.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's session, set before anything else runs (sessions.ts). */
    mockSession?: Session
    /**
     * What the journal will keep of a request to the real API, filled in by the pipeline as it
     * learns who is calling (api-routes.ts); the journal hook completes it (journal.ts).
     */
    mockJournal?: JournalDraft
  }
  interface FastifyInstance {
    /** The mock's state, for the in-process API. */
    mock: AppContext
  }
  interface FastifyContextConfig {
    /** Requests to this route go into the journal. */
    journal?: boolean
    /** The route's responses as openapi/fireworks-usage.yaml describes them. */
    contract?: ResponseCheck
  }
}
