// Runtime accounts, keys and records of the request's session: GET/POST /_mock/accounts,
// POST/DELETE /_mock/accounts/{account}/records. Loads are all or nothing, in the fixture format.

import type { FastifyRequest } from 'fastify'
import { invalidArgument, notFound } from '../../errors.js'
import { FixtureError, parseFixtures, type ParsedFixtures } from '../../data/fixtures.js'
import { directoryOf } from '../../data/directory.js'
import type { Store } from '../../data/store.js'
import { allStreams } from '../../streams/registry.js'
import type { RouteSpec } from '../routes.js'
import { sessionOf } from '../sessions.js'
import { textBody } from './body.js'

type AccountRequest = FastifyRequest<{ Params: { account_id: string } }>

/**
 * Loads fixture-format entries from a body (NDJSON, a JSON array, {"accounts": [...]} or one
 * object), all or nothing; any problem, in the entries or with existing keys, is one 400.
 */
function loadBody(store: Store, request: FastifyRequest, onlyAccount?: string) {
  const text = textBody(request)
  const first = text.trimStart()[0]
  const ndjson =
    String(request.headers['content-type'] ?? '').includes('ndjson') ||
    (first !== '[' && !/^\s*\{\s*"accounts"\s*:/.test(text))
  const knownAccounts = new Set(store.accounts().map(a => a.account))
  let parsed: ParsedFixtures
  try {
    parsed = parseFixtures([{ path: 'body', text, format: ndjson ? 'ndjson' : 'json' }], knownAccounts, onlyAccount)
    store.load(parsed)
  } catch (err) {
    if (err instanceof FixtureError) throw invalidArgument(`nothing was added: ${err.problems.join('; ')}`)
    throw err
  }
  const added = Object.fromEntries(
    allStreams().map(s => [s.kind, parsed.records.filter(r => r.kind === s.kind).length]),
  )
  return { accounts: parsed.accounts.map(a => a.account), records: added }
}

/** The account of the path in the request's session, or a 404 saying how to create it. */
function existing(request: AccountRequest, hint = ''): { store: Store; id: string } {
  const id = request.params.account_id
  const { store } = sessionOf(request)
  if (!store.account(id)) throw notFound(`account ${JSON.stringify(id)} not found${hint}`)
  return { store, id }
}

export function accountControls(): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/_mock/accounts',
      // Every account with its keys and secrets (the data is synthetic, and tests need them),
      // each key's user, and each user's role.
      handler: async (request: FastifyRequest) => ({
        accounts: sessionOf(request)
          .store.accounts()
          .map(a => {
            const directory = directoryOf(a)
            return {
              account: a.account,
              synthetic: a.synthetic !== undefined,
              keys: a.keys.map(({ id, name, secret }) => ({ id, name, secret, user: directory.userOf(id) })),
              users: directory.users,
            }
          }),
      }),
    },
    {
      method: 'POST',
      url: '/_mock/accounts',
      // A whole fixture file at runtime: accounts with keys, and records. All or nothing.
      handler: async (request: FastifyRequest) => loadBody(sessionOf(request).store, request),
    },
    {
      method: 'POST',
      url: '/_mock/accounts/:account_id/records',
      handler: async (request: AccountRequest) => {
        const { store, id } = existing(request, '; create it with POST /_mock/accounts')
        return loadBody(store, request, id)
      },
    },
    {
      method: 'DELETE',
      url: '/_mock/accounts/:account_id/records',
      handler: async (request: AccountRequest) => {
        const { store, id } = existing(request)
        return { removed: store.clearAddedRecords(id) }
      },
    },
  ] as RouteSpec[]
}
