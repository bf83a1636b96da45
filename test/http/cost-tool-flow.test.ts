// A cost tool's whole flow, as the open-source collectors of the live API run it, against a
// listening server of the default world [costs-and-accounts.md]: discover the account, read a
// month of billingUsage in the user's zone, ask usageCosts:query for the spend by DAY x MODEL
// page by page (ACCOUNT first, SELF after the 403 a plain user's key gets), and check the
// numbers against the raw records the mock exports.
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { buildApp } from '../../server/app.js'
import { loadWorld } from '../../server/data/world.js'
import { testConfig } from '../helpers.js'

const app = buildApp(testConfig({ now: Date.parse('2026-07-10T00:00:00Z') }), {
  world: loadWorld({ seed: 20260101, fixtures: null, worldScale: 1 }),
})
t.teardown(() => app.close())

const KEY = 'fw_mockAcmeStaging01' // staging-key: a plain user's (grace)
const COSTS = { startTime: '2026-06-01T00:00:00Z', endTime: '2026-06-08T00:00:00Z' }

t.test('list accounts, read usage, read costs (falling back to SELF), and agree with the records', async t => {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  // 1. Which account is this key's? Exactly one visible account is selected [client].
  const listed = await api('/v1/accounts')
  const accounts = listed.body.accounts as { name: string }[]
  t.equal(accounts.length, 1)
  const id = accounts[0]!.name.replace(/^accounts\//, '')
  t.equal(id, 'acme-ai')
  t.match(id, /^[A-Za-z0-9._~-]+$/, 'the id clients check')

  // 2. A month of tokens in the user's zone.
  const usage = await api(
    `/v1/accounts/${id}/billingUsage?startTime=2026-06-01T07:00:00Z&endTime=2026-07-01T07:00:00Z&timezone=America/Los_Angeles&usageType=SERVERLESS&groupBy=model_name`,
  )
  t.equal(usage.status, 200)
  const days = new Set((usage.body.serverlessCosts as { startTime: string }[]).map(r => r.startTime))
  t.equal(days.size, 30, 'thirty local days')

  // 3. The spend: ACCOUNT is for admins; a plain user's key retries with SELF.
  const query = (body: object) =>
    api(`/v1/accounts/${id}/usageCosts:query`, { method: 'POST', body: JSON.stringify(body) })
  const refused = await query({ ...COSTS, scope: 'ACCOUNT', groupBy: ['DAY', 'MODEL'] })
  t.same([refused.status, refused.body.code], [403, 7])
  type Row = { dimensions: { startTime: string; model: string }; subtotal: { units: string; nanos: number } }
  const rows: Row[] = []
  const subtotals = new Set<string>()
  let pageToken = ''
  let pages = 0
  do {
    const page = await query({ ...COSTS, scope: 'SELF', groupBy: ['DAY', 'MODEL'], pageSize: 20, pageToken })
    t.equal(page.status, 200)
    rows.push(...(page.body.rows as Row[]))
    subtotals.add(JSON.stringify(page.body.subtotal))
    pageToken = page.body.nextPageToken as string
    pages++
  } while (pageToken !== '' && pages < 100)
  t.ok(pages > 1, `several pages (${pages})`)
  t.equal(subtotals.size, 1, 'the same subtotal on every page')
  const nanos = (m: { units: string; nanos: number }) => BigInt(m.units) * 1_000_000_000n + BigInt(m.nanos)
  const subtotal = nanos(JSON.parse([...subtotals][0]!) as { units: string; nanos: number })
  t.equal(
    rows.reduce((s, r) => s + nanos(r.subtotal), 0n),
    subtotal,
    'the rows add up to the subtotal',
  )

  // 4. Against the raw records: the text usage of every key of this key's user, per UTC day and model.
  const mock = await (await fetch(`${base}/_mock/accounts`)).json()
  const acme = (
    mock as { accounts: { account: string; keys: { id: string; user: string; secret: string }[] }[] }
  ).accounts.find(a => a.account === id)!
  const user = acme.keys.find(k => k.secret === KEY)!.user
  const keys = new Set(acme.keys.filter(k => k.user === user).map(k => k.id))
  t.ok(keys.size > 1, `${user} has ${keys.size} keys`)
  const exported = await (
    await fetch(
      `${base}/_mock/records?account=${id}&stream=serverless&startTime=${COSTS.startTime}&endTime=${COSTS.endTime}`,
    )
  ).text()
  const expected = new Map<string, bigint>()
  for (const line of exported.split('\n')) {
    if (line === '') continue
    const r = JSON.parse(line) as {
      time: string
      model: string
      apiKeyId: string
      usageType: string
      costNanoUsd: number
    }
    if (!keys.has(r.apiKeyId) || r.usageType !== 'TEXT_COMPLETION_INFERENCE_USAGE' || r.costNanoUsd === 0) continue
    const key = `${r.time.slice(0, 10)}T00:00:00Z ${r.model}`
    expected.set(key, (expected.get(key) ?? 0n) + BigInt(r.costNanoUsd))
  }
  const got = new Map(rows.map(r => [`${r.dimensions.startTime} ${r.dimensions.model}`, nanos(r.subtotal)]))
  t.same([...got].sort(), [...expected].sort(), 'every day and model, to the nano')
})
