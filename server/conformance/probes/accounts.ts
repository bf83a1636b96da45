// The accounts a key can see [contract 1]: cost tools list them first to learn the key's account,
// then put its id in every path [client]. The key's account is in the list, and getting it
// returns the resource the list has [real]; that the list holds that account only is ours.

import { requireDocumentBody, type AccountBody, type AccountsBody } from '../document-body.js'
import { param, type Plan } from '../plan.js'
import { shown, type Probe } from '../probe.js'

/** Pages of the list read at most, looking for the key's account (200 accounts each). */
const MAX_PAGES = 3

/** A JSON value with its object keys sorted, to compare resources whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

export function accountProbes(): Probe<Plan>[] {
  return [
    {
      id: 'accounts.list-and-get',
      rule: "the key's account is in GET /v1/accounts, and GET /v1/accounts/{id} returns the same resource",
      tag: 'real',
      run: async scope => {
        const name = `accounts/${scope.session.account}`
        let listed: AccountBody | undefined
        let token = ''
        let seen = 0
        let total = 0
        for (let page = 0; page < MAX_PAGES && listed === undefined && (page === 0 || token !== ''); page++) {
          const exchange = await scope.get('accounts', [
            param('pageSize', '200'),
            ...(token ? [param('pageToken', token)] : []),
          ])
          scope.require200(exchange)
          requireDocumentBody(scope, exchange)
          const body = exchange.answer.json as AccountsBody
          seen += body.accounts.length
          total = body.totalSize
          listed = body.accounts.find(a => a.name === name)
          token = body.nextPageToken ?? ''
        }
        const more = token === '' ? '' : ` (the first ${MAX_PAGES} pages)`
        scope.require(
          'real',
          "the key's account in the list",
          name,
          listed ? name : `not among ${seen} accounts${more}`,
          listed !== undefined,
        )
        const got = await scope.get('account', [])
        scope.require200(got)
        requireDocumentBody(scope, got)
        const same = canonical(got.answer.json) === canonical(listed)
        scope.check(
          'real',
          'get returns the resource of the list',
          shown(listed),
          same ? 'the same' : shown(got.answer.json),
          same,
        )
        // [ours] a key sees exactly its own account.
        scope.check('ours', 'the accounts a key sees', '1 (its own)', `totalSize ${total}`, total === 1)
      },
    },
  ]
}
