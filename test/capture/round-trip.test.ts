// Capture from the mock itself, serve the captured folder alone (SYNTHETIC=off), and ask both the
// same questions: every stream's UTC billingUsage under several groupings and filters, the
// filter options, the billing summary and usageCosts:query by day agree whole; other time zones
// keep the totals. With --redact, no captured name is left and the daily totals still agree.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { startMockServer, type MockServer } from '../../server/index.js'
import { ACME_KEY, ask, capture, capturedKeys, from, INITECH_KEY, NOW, replay, same, type Side } from './harness.js'

let source: MockServer
t.before(async () => {
  source = await startMockServer({ now: NOW, validateResponses: true })
})
t.teardown(() => source.close())

const DIMENSIONS = {
  serverless: [
    'model_name',
    'api_key_id',
    'api_key_name',
    'annotations.team',
    'annotations.project',
    'annotations.environment',
  ],
  dedicated: [
    'deployment_name',
    'accelerator_type',
    'annotations.team',
    'annotations.project',
    'annotations.environment',
  ],
  training: ['job_id', 'job_type', 'usage_type', 'accelerator_type', 'base_model', 'annotations.team'],
}
const groupBy = (...dims: string[]) => dims.map(d => `&groupBy=${encodeURIComponent(d)}`).join('')
const filter = (dim: string, value: string) =>
  `&filter[${encodeURIComponent(dim)}][values]=${encodeURIComponent(value)}`

/** The questions both sides must answer alike over [start, end), whole UTC days. */
function questions(start: string, end: string, streams: (keyof typeof DIMENSIONS)[], values: Values): string[] {
  const w = `startTime=${start}&endTime=${end}`
  const day = `startTime=${new Date(Date.parse(start) + 86_400_000).toISOString()}&endTime=${end}`
  const list = [
    `billingUsage?${w}`,
    `billingUsage?${day}${groupBy('model_name')}`,
    `accountUsageFilterOptions?${w}`,
    `billing/summary?${w}&granularity=DAILY`,
  ]
  const type = { serverless: 'SERVERLESS', dedicated: 'DEDICATED_DEPLOYMENT', training: 'TRAINING' }
  for (const stream of streams) {
    const s = `billingUsage?${w}&usageType=${type[stream]}`
    list.push(
      s,
      `${s}${groupBy(...DIMENSIONS[stream])}`,
      `${s}${groupBy('annotations.team', 'annotations.environment')}`,
    )
  }
  if (streams.includes('serverless'))
    list.push(
      `billingUsage?${w}&usageType=SERVERLESS${groupBy('api_key_name')}`,
      `billingUsage?${w}&usageType=SERVERLESS${groupBy('model_name')}${filter('api_key_name', values.keyName)}`,
      `billingUsage?${w}&usageType=SERVERLESS${groupBy('api_key_id')}${filter('annotations.team', '')}`,
    )
  if (streams.includes('dedicated'))
    list.push(
      `billingUsage?${w}&usageType=DEDICATED_DEPLOYMENT${groupBy('accelerator_type')}`,
      `billingUsage?${w}&usageType=DEDICATED_DEPLOYMENT${filter('deployment_name', values.deployment!)}`,
    )
  if (streams.includes('training'))
    list.push(
      `billingUsage?${w}&usageType=TRAINING${groupBy('job_type', 'usage_type')}`,
      `billingUsage?${w}&usageType=TRAINING${groupBy('base_model')}${filter('job_type', 'SFT')}`,
    )
  return list
}
interface Values {
  keyName: string
  deployment?: string
}

async function costsByDay(t: Test, side: Side, start: string, end: string): Promise<unknown> {
  const res = await fetch(`${side.server.url}/v1/accounts/${side.account}/usageCosts:query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${side.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      startTime: start,
      endTime: end,
      scope: 'ACCOUNT',
      groupBy: ['DAY', 'MODEL'],
      pageSize: 1000,
    }),
  })
  t.equal(res.status, 200)
  return res.json()
}

/** Per model, the window's text tokens and cost in a time zone: the zone moves usage between rows only. */
async function totalsIn(side: Side, zone: string, start: string, end: string): Promise<Record<string, number[]>> {
  const body = (await ask(
    side.server,
    side.key,
    `/v1/accounts/${side.account}/billingUsage?startTime=${start}&endTime=${end}&usageType=SERVERLESS&timezone=${zone}${groupBy('model_name')}`,
  )) as { serverlessCosts: { group: { model_name: string }; promptTokens: string; costNanoUsd: number }[] }
  const totals: Record<string, number[]> = {}
  for (const row of body.serverlessCosts) {
    const sum = (totals[row.group.model_name] ??= [0, 0])
    sum[0]! += Number(row.promptTokens)
    sum[1]! += row.costNanoUsd
  }
  return totals
}

async function agree(
  t: Test,
  source: Side,
  copy: Side,
  start: string,
  end: string,
  streams: (keyof typeof DIMENSIONS)[],
  values: Values,
) {
  for (const question of questions(start, end, streams, values)) await same(t, source, copy, question)
  t.same(
    await costsByDay(t, copy, start, end),
    await costsByDay(t, source, start, end),
    'usageCosts:query by DAY and MODEL',
  )
  t.same(
    await totalsIn(copy, 'America/Los_Angeles', start, end),
    await totalsIn(source, 'America/Los_Angeles', start, end),
    'Los Angeles days: the same totals per model',
  )
}

t.test('initech over three days: the replay answers every question as the source does', async t => {
  const out = join(t.testdir(), 'initech')
  const run = await capture([...from(source.url, 'initech', INITECH_KEY), '--days', '3', '--out', out])
  t.equal(run.code, 0, run.stderr)
  t.same(readdirSync(out).sort(), ['account.json', 'dedicated.ndjson', 'serverless.ndjson', 'training.ndjson'])
  t.match(
    run.stdout,
    /^Captured initech from http:\/\/127\.0\.0\.1:\d+, 2026-11-22T00:00:00Z to 2026-11-25T00:00:00Z: 1 account, 2 keys, \d+ records \(serverless \d+, dedicated 0, training 0\), 3 days, 4 requests\.\n/,
  )
  // One request per stream and one for the filter options: one window of 3 days.
  t.equal(run.fetched.length, 4)
  t.ok(run.fetched.every(url => url.includes('/v1/accounts/initech/')))
  const keys = capturedKeys(out)
  t.same([...keys.keys()].sort(), ['key_InitechMain00001', 'key_WW6pmlSmKcoJZcSW'], 'the keys, by their captured ids')
  for (const secret of keys.values()) t.ok(run.stdout.includes(` ${secret}\n`), 'each secret printed')
  t.notOk(run.stdout.includes(INITECH_KEY) || run.stderr.includes(INITECH_KEY), 'the key used is never printed')
  const copy = await replay(t, out)
  await agree(
    t,
    { server: source, account: 'initech', key: INITECH_KEY },
    { server: copy, account: 'initech', key: keys.get('key_InitechMain00001')! },
    '2026-11-22T00:00:00Z',
    '2026-11-25T00:00:00Z',
    ['serverless'],
    { keyName: 'main' },
  )
  // The replay holds only the captured account: the default world's are gone.
  const accounts = (await (await fetch(`${copy.url}/_mock/accounts`)).json()) as { accounts: { account: string }[] }
  t.same(
    accounts.accounts.map(a => a.account),
    ['initech'],
  )
})

t.test('acme-ai over two days, all three streams: the replay answers as the source does', async t => {
  const out = join(t.testdir(), 'acme')
  const run = await capture([...from(source.url, 'acme-ai', ACME_KEY), '--days', '2', '--out', out])
  t.equal(run.code, 0, run.stderr)
  const options = (await ask(
    source,
    ACME_KEY,
    '/v1/accounts/acme-ai/accountUsageFilterOptions?startTime=2026-11-23T00:00:00Z&endTime=2026-11-25T00:00:00Z',
  )) as { dedicated: { deployment_name: string[] } }
  const copy = await replay(t, out)
  await agree(
    t,
    { server: source, account: 'acme-ai', key: ACME_KEY },
    { server: copy, account: 'acme-ai', key: capturedKeys(out).get('key_AcmeProdEng00001')! },
    '2026-11-23T00:00:00Z',
    '2026-11-25T00:00:00Z',
    ['serverless', 'dedicated', 'training'],
    { keyName: 'prod-eng', deployment: options.dedicated.deployment_name[0]! },
  )
})

t.test('the day in progress: records only in the hours before now, and its totals so far agree', async t => {
  const midday = await startMockServer({ now: '2026-11-24T05:30:00Z' })
  t.teardown(() => midday.close())
  const out = join(t.testdir(), 'partial')
  const run = await capture([
    ...from(midday.url, 'initech', INITECH_KEY).map(a => (a === NOW ? '2026-11-24T05:30:00Z' : a)),
    '--days',
    '1',
    '--out',
    out,
  ])
  t.equal(run.code, 0, run.stderr)
  const times = readFileSync(join(out, 'serverless.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map(line => (JSON.parse(line) as { time: string }).time)
  t.ok(
    times.filter(time => time.startsWith('2026-11-24')).every(time => time < '2026-11-24T05:30:00Z'),
    'no record of today at or after now',
  )
  t.ok(times.includes('2026-11-24T05:00:00Z'), 'the hour that holds now is used (the mock shows records before now)')
  const copy = await startMockServer({ now: '2026-11-24T05:30:00Z', synthetic: 'off', fixtures: out })
  t.teardown(() => copy.close())
  const q =
    'billingUsage?startTime=2026-11-23T00:00:00Z&endTime=2026-11-24T05:30:00Z&usageType=SERVERLESS&groupBy=model_name'
  await same(
    t,
    { server: midday, account: 'initech', key: INITECH_KEY },
    { server: copy, account: 'initech', key: capturedKeys(out).get('key_InitechMain00001')! },
    q,
  )
})

t.test('--redact: no captured name is left in the fixtures, and daily totals per model agree', async t => {
  const dir = t.testdir()
  const out = join(dir, 'acme')
  const run = await capture([...from(source.url, 'acme-ai', ACME_KEY), '--days', '2', '--out', out, '--redact'])
  t.equal(run.code, 0, run.stderr)
  const options = (await ask(
    source,
    ACME_KEY,
    '/v1/accounts/acme-ai/accountUsageFilterOptions?startTime=2026-11-23T00:00:00Z&endTime=2026-11-25T00:00:00Z',
  )) as Record<string, Record<string, string[]>>
  const names = [
    ...options.serverless!.api_key_name!,
    ...options.dedicated!.deployment_name!,
    ...['serverless', 'dedicated', 'training'].flatMap(s => [
      ...options[s]!['annotations.team']!,
      ...options[s]!['annotations.project']!,
    ]),
  ].filter(n => n !== '')
  t.ok(names.length > 20, `${names.length} names to hide`)
  const text = readdirSync(out)
    .map(f => readFileSync(join(out, f), 'utf8'))
    .join('\n')
  const left = [...new Set(names)].filter(n => text.includes(JSON.stringify(n)))
  t.same(left, [], 'no key name, deployment name, team or project left')
  t.match(text, /"apiKeyName":"key-\d+"/)
  t.match(text, /"deployment":"accounts\/acme-ai\/deployments\/deployment-\d+"/)
  t.match(text, /"team":"team-\d+"/)
  // The map is a file beside the folder, not a fixture in it.
  const map = JSON.parse(readFileSync(`${out}.redactions.json`, 'utf8')) as Record<string, Record<string, string>>
  t.equal(map.api_key_name!['prod-eng']!.startsWith('key-'), true)
  t.same(Object.keys(map.api_key_name!).sort(), [...new Set(options.serverless!.api_key_name)].filter(Boolean).sort())
  t.match(run.stdout, `Redaction map (real names: keep it private, out of version control): ${out}.redactions.json`)

  const copy = await replay(t, out)
  const q = (s: string) =>
    `billingUsage?startTime=2026-11-23T00:00:00Z&endTime=2026-11-25T00:00:00Z&usageType=${s}${groupBy(s === 'TRAINING' ? 'base_model' : 'model_name')}`
  const sourceSide = { server: source, account: 'acme-ai', key: ACME_KEY }
  const copySide = { server: copy, account: 'acme-ai', key: capturedKeys(out).get('key_AcmeProdEng00001')! }
  await same(t, sourceSide, copySide, q('SERVERLESS'))
  await same(t, sourceSide, copySide, q('TRAINING'))
  await same(t, sourceSide, copySide, 'billing/summary?startTime=2026-11-23T00:00:00Z&endTime=2026-11-25T00:00:00Z')
})
