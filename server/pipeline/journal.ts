// What the journal keeps of a request to the real API (mock/journal.ts keeps the entries): the
// request line at once, who called as soon as authentication says (so a request that fails on
// its parameters is still journaled with its key), and the outcome once the response is sent.

import { ApiError } from '../errors.js'
import type { JournalEntry } from '../mock/journal.js'
import { formatUtc } from '../time.js'

/** The request as the journal sees it before it is answered. */
export interface JournalDraft {
  method: string
  path: string
  /** The parsed query, or null when the parser refused it. */
  query: Record<string, unknown> | null
  /** The path's account, else the one the key reached (GET /v1/accounts has none in its path). */
  account: string | null
  /** The id of the API key that authenticated the request. */
  keyId: string | null
}

/** The parts of a request the draft is made of. */
export interface RequestLine {
  method: string
  /** Without the query string. */
  path: string
  params: { account_id?: string }
  query: Record<string, unknown> | ApiError
}

export function journalDraft(line: RequestLine): JournalDraft {
  return {
    method: line.method,
    path: line.path,
    query: line.query instanceof ApiError ? null : line.query,
    account: line.params.account_id ?? null,
    keyId: null,
  }
}

/** How a request ended: its id, status, time taken (ms), and when (epoch ms). */
export interface Outcome {
  id: string
  status: number
  elapsedMs: number
  timeMs: number
}

export function journalEntry(draft: JournalDraft, outcome: Outcome): JournalEntry {
  return {
    id: outcome.id,
    time: formatUtc(outcome.timeMs),
    method: draft.method,
    path: draft.path,
    query: draft.query,
    account: draft.account,
    keyId: draft.keyId,
    status: outcome.status,
    durationMs: Math.round(outcome.elapsedMs * 100) / 100,
  }
}
