// GET /v1/accounts and GET /v1/accounts/{id} [costs-and-accounts.md section 1], and who is who:
// users and roles of fixture and synthetic accounts, shown by GET /_mock/accounts.
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { buildWorld, loadWorld } from '../../server/data/world.js'
import { directoryOf, type GatewayAccount } from '../../server/data/directory.js'
import { FixtureError } from '../../server/data/fixtures.js'
import { listAccounts, parseAccountsQuery } from '../../server/usage/accounts.js'
import { AUTH, fixtureApp, testConfig } from '../helpers.js'

const worldOf = (entries: object[]) =>
  buildWorld({
    seed: 1,
    spec: { start: '2026-01-01T00:00:00Z', accounts: [] },
    files: [{ path: 'accounts.ndjson', text: entries.map(e => JSON.stringify(e)).join('\n') }],
  })
const EXPECTED_TEST_CO: GatewayAccount = {
  name: 'accounts/test-co',
  displayName: 'Test Co',
  email: 'billing@test-co.example.com',
  createTime: '2026-01-01T00:00:00Z',
  updateTime: '2026-01-01T00:00:00Z',
  accountType: 'ACCOUNT_TYPE_UNSPECIFIED',
  state: 'READY',
  status: { code: 'OK', message: '' },
  suspendState: 'UNSUSPENDED',
}

t.test('a key lists exactly its own account, every field derived', async t => {
  const app = fixtureApp([])
  const res = await app.inject({ url: '/v1/accounts', headers: AUTH })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json(), { accounts: [EXPECTED_TEST_CO], totalSize: 1 }, 'no nextPageToken on the last page')
  const get = await app.inject({ url: '/v1/accounts/test-co', headers: AUTH })
  t.strictSame(get.json(), EXPECTED_TEST_CO, 'get and list agree')
  const journal = await app.inject({ url: '/_mock/requests?limit=2' })
  t.same(
    journal.json().requests.map((r: { path: string; account: string }) => [r.path, r.account]),
    [
      ['/v1/accounts/test-co', 'test-co'],
      ['/v1/accounts', 'test-co'],
    ],
    'a path without an account is journaled under the key account',
  )
})

t.test('filter, readMask, pageSize and pageToken', async t => {
  const app = fixtureApp([])
  const list = async (q: string) => {
    const res = await app.inject({ url: `/v1/accounts?${q}`, headers: AUTH })
    return [res.statusCode, res.json()]
  }
  t.same(await list('filter=name%3D%22accounts%2Ftest-co%22'), [200, { accounts: [EXPECTED_TEST_CO], totalSize: 1 }])
  t.same(await list('filter=name%20%3D%20%22accounts%2Fother-co%22'), [200, { accounts: [], totalSize: 0 }])
  t.same(await list('readMask=name,create_time'), [
    200,
    { accounts: [{ name: 'accounts/test-co', createTime: '2026-01-01T00:00:00Z' }], totalSize: 1 },
  ])
  t.same(await list('read_mask=*&orderBy=displayName'), [200, { accounts: [EXPECTED_TEST_CO], totalSize: 1 }])
  const refused: [string, RegExp][] = [
    ['filter=displayName%3D%22x%22', /only name="accounts\/<account id>" is supported/],
    ['readMask=name,balance', /invalid readMask: unknown field "balance"/],
    ['pageSize=-1', /invalid pageSize -1: must not be negative/],
    ['page_size=ten', /invalid page_size "ten": must be an integer/],
    ['pageToken=bm9wZQ', /invalid pageToken: it was not issued/],
  ]
  for (const [q, message] of refused) {
    const [status, body] = await list(q)
    t.same([status, body.code], [400, 3], q)
    t.match(body.message, message, q)
  }
  const get = await app.inject({ url: '/v1/accounts/test-co?readMask=suspendState', headers: AUTH })
  t.strictSame(get.json(), { suspendState: 'UNSUSPENDED' })
})

t.test('paging over several visible accounts: pages concatenate, a token is bound to its parameters', async t => {
  // The routes show one account per key; the rule pages any list.
  const accounts = ['c', 'a', 'b'].map(id => ({ ...EXPECTED_TEST_CO, name: `accounts/${id}` }))
  const first = listAccounts(accounts, parseAccountsQuery({ pageSize: '2' }).query)
  t.same(
    first.accounts.map(a => a.name),
    ['accounts/a', 'accounts/b'],
    'ordered by name',
  )
  t.equal(first.totalSize, 3)
  const second = listAccounts(accounts, parseAccountsQuery({ pageSize: '2', pageToken: first.nextPageToken }).query)
  t.same(
    second.accounts.map(a => a.name),
    ['accounts/c'],
  )
  t.equal(second.nextPageToken, undefined)
  t.throws(() => parseAccountsQuery({ pageSize: '1', pageToken: first.nextPageToken }), /not issued/)
  t.equal(parseAccountsQuery({ pageSize: '5000' }).query.pageSize, 200, 'coerced to 200')
  t.equal(parseAccountsQuery({}).query.pageSize, 50, 'default 50')
})

t.test('another account is 403 whether or not it exists; a missing key is 401', async t => {
  const app = fixtureApp([])
  for (const url of ['/v1/accounts/other-co', '/v1/accounts/nobody']) {
    const res = await app.inject({ url, headers: AUTH })
    t.same([res.statusCode, res.json().code], [403, 7], url)
  }
  const anon = await app.inject({ url: '/v1/accounts' })
  t.same([anon.statusCode, anon.json().code], [401, 16])
})

t.test('AUTH=any: an unknown token lists the account it invents, the same every time', async t => {
  const app = fixtureApp([], { auth: 'any' })
  const headers = { authorization: 'Bearer My API Key' }
  const a = await app.inject({ url: '/v1/accounts', headers })
  const b = await app.inject({ url: '/v1/accounts', headers })
  t.equal(a.statusCode, 200)
  t.match(a.json().accounts[0].name, /^accounts\/any-[0-9a-f]{8}$/)
  t.equal(a.body, b.body)
  const get = await app.inject({ url: '/v1/accounts/account_id', headers })
  t.equal(get.json().name, 'accounts/account_id')
})

t.test('fixture accounts may set their fields; keys their user and role', async t => {
  const world = worldOf([
    {
      account: 'named-co',
      displayName: 'Named Co, Inc.',
      email: 'finops@named.example',
      createTime: '2025-06-01T12:00:00Z',
      suspendState: 'CREDIT_DEPLETED',
      keys: [
        { id: 'key_N1', name: 'ops', secret: 'fw_n1', user: 'ops', role: 'admin' },
        { id: 'key_N2', name: 'dev', secret: 'fw_n2', user: 'dev' },
        { id: 'key_N3', name: 'bare', secret: 'fw_n3' },
      ],
    },
  ])
  const app = buildApp(testConfig(), { world })
  const res = await app.inject({ url: '/v1/accounts/named-co', headers: { authorization: 'Bearer fw_n2' } })
  t.match(res.json(), {
    displayName: 'Named Co, Inc.',
    email: 'finops@named.example',
    createTime: '2025-06-01T12:00:00Z',
    suspendState: 'CREDIT_DEPLETED',
  })
  const d = directoryOf(world.accounts.get('named-co')!)
  t.same(d.users, [
    { id: 'admin', role: 'admin' },
    { id: 'ops', role: 'admin' },
    { id: 'dev', role: 'user' },
  ])
  t.same(
    ['key_N1', 'key_N2', 'key_N3'].map(k => d.userOf(k)),
    ['ops', 'dev', 'admin'],
    'a key naming no user is the account admin',
  )
  const shown = await app.inject({ url: '/_mock/accounts' })
  t.same(shown.json().accounts[0].users, d.users)
  t.same(
    shown.json().accounts[0].keys.map((k: { user: string }) => k.user),
    ['ops', 'dev', 'admin'],
  )
})

t.test('a user given two roles, a bad role or a bad field stops start-up with each problem', async t => {
  const problems = (entries: object[]) => {
    try {
      worldOf(entries)
    } catch (err) {
      if (err instanceof FixtureError) return err.problems
      throw err
    }
    return []
  }
  t.same(
    problems([
      {
        account: 'x',
        keys: [
          { id: 'key_1', name: 'a', secret: 's1', user: 'pat', role: 'admin' },
          { id: 'key_2', name: 'b', secret: 's2', user: 'pat', role: 'user' },
        ],
      },
    ]),
    ['keys: user "pat" of x is given both roles admin and user'],
  )
  const bad = problems([
    {
      account: 'y',
      email: 'nobody',
      suspendState: 'BROKE',
      keys: [{ id: 'key_3', name: 'c', secret: 's3', user: 'Pat Smith', role: 'owner' }],
    },
  ]).join('\n')
  for (const text of [
    'email: must be an email address, got "nobody"',
    'suspendState: must be one of UNSUSPENDED',
    'keys[0].user: must be a user id slug like "ada", got "Pat Smith"',
    'keys[0].role: must be one of admin, user, got "owner"',
  ])
    t.match(bad, text)
})

t.test('the default world: the README keys are an admin and a plain user; every key has a user', async t => {
  const world = loadWorld({ seed: 20260101, fixtures: null, worldScale: 1 })
  const acme = directoryOf(world.accounts.get('acme-ai')!)
  t.equal(acme.userOf('key_AcmeProdEng00001'), 'ada')
  t.equal(acme.roleOf('ada'), 'admin')
  t.equal(acme.userOf('key_AcmeStaging00001'), 'grace')
  t.equal(acme.roleOf('grace'), 'user')
  t.equal(acme.users.length, 6, '60 keys: six users')
  t.equal(acme.users.filter(u => u.role === 'admin').length, 1)
  const keys = world.accounts.get('acme-ai')!.keys
  t.ok(
    keys.every(k => acme.userOf(k.id) !== undefined),
    'every key belongs to a user',
  )
  const spread = new Set(keys.map(k => acme.userOf(k.id)))
  t.equal(spread.size, 6, 'synthetic keys are spread over all six users')
  const app = buildApp(testConfig(), { world })
  const res = await app.inject({ url: '/v1/accounts', headers: { authorization: 'Bearer fw_mockGlobexProd01' } })
  t.same(
    res.json().accounts.map((a: { name: string }) => a.name),
    ['accounts/globex'],
  )
  t.equal(res.json().accounts[0].createTime, '2026-01-01T00:00:00Z', 'its first key appears at the world start')
})
