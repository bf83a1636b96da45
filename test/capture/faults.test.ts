// Capture against targets that misbehave, each a small proxy in front of the mock: one that
// refuses groupings of more than four dimensions (split, joined, still exact), one that does not
// know a dimension (left out, said, exit code 1), a 429 with Retry-After (waited out), and a 500
// midway (nothing written, an existing folder left as it was).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { startMockServer, type MockServer } from '../../server/index.js'
import { ACME_KEY, capture, capturedKeys, from, INITECH_KEY, NOW, replay, same } from './harness.js'

let source: MockServer
t.before(async () => {
  source = await startMockServer({ now: NOW })
})
t.teardown(() => source.close())

interface Fake {
  status: number
  headers?: Record<string, string>
  body: string
}

/** A proxy to the mock; `hook` may answer the n-th request (1-based) itself. */
async function proxy(t: Test, hook: (url: URL, n: number) => Fake | undefined): Promise<string> {
  let n = 0
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy')
    const fake = hook(url, ++n)
    if (fake) {
      res.writeHead(fake.status, { 'content-type': 'application/json', ...fake.headers }).end(fake.body)
      return
    }
    fetch(`${source.url}${req.url}`, { headers: { authorization: req.headers.authorization ?? '' } }).then(
      async answer =>
        res
          .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
          .end(await answer.text()),
      () => res.writeHead(502).end(),
    )
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>(resolve => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const refusal = (message: string): Fake => ({
  status: 400,
  body: JSON.stringify({ code: 3, message, details: [] }),
})
const usage = (url: URL) => url.pathname.endsWith('/billingUsage')

t.test('groupings of more than four dimensions refused: split, joined on the series, exact', async t => {
  const target = await proxy(t, url =>
    usage(url) && url.searchParams.getAll('groupBy').length > 4 ? refusal('at most 4 group_by dimensions') : undefined,
  )
  const out = join(t.testdir(), 'acme')
  const run = await capture([...from(target, 'acme-ai', ACME_KEY), '--days', '2', '--out', out])
  t.equal(run.code, 0, run.stderr)
  t.match(
    run.stderr,
    'capture: the target refused grouping serverless by model_name, api_key_id, api_key_name, annotations.team, annotations.project, annotations.environment (400: at most 4 group_by dimensions); splitting the grouping\n',
  )
  t.match(run.stderr, 'capture: the target refused grouping dedicated by deployment_name, accelerator_type, ')
  // training: 8 dimensions, then job_id with 4 more, both refused; 3 + 3 + 4 accepted.
  t.equal(run.stderr.match(/refused grouping training/g)?.length, 2)
  const sent = run.fetched.map(u => new URL(u).searchParams.getAll('groupBy').length)
  t.same(
    sent,
    [6, 4, 4, 5, 3, 3, 8, 5, 3, 3, 4, 0],
    'the requests: each refusal split in two halves that keep the series',
  )
  t.notMatch(run.stderr, /not reproduced/)

  const copy = await replay(t, out)
  const sourceSide = { server: source, account: 'acme-ai', key: ACME_KEY }
  const copySide = { server: copy, account: 'acme-ai', key: capturedKeys(out).get('key_AcmeProdEng00001')! }
  const w = 'startTime=2026-11-23T00:00:00Z&endTime=2026-11-25T00:00:00Z'
  const all = {
    SERVERLESS: 'model_name,api_key_id,api_key_name,annotations.team,annotations.project,annotations.environment',
    DEDICATED_DEPLOYMENT:
      'deployment_name,accelerator_type,annotations.team,annotations.project,annotations.environment',
    TRAINING:
      'job_id,job_type,usage_type,accelerator_type,base_model,annotations.team,annotations.project,annotations.environment',
  }
  for (const [type, dims] of Object.entries(all)) {
    const groupBy = dims
      .split(',')
      .map(d => `&groupBy=${d}`)
      .join('')
    await same(t, sourceSide, copySide, `billingUsage?${w}&usageType=${type}${groupBy}`)
  }
  await same(t, sourceSide, copySide, `accountUsageFilterOptions?${w}`)
})

t.test('a dimension the target does not know: left out, said, exit code 1; the rest agrees', async t => {
  const target = await proxy(t, url =>
    usage(url) && url.searchParams.getAll('groupBy').includes('annotations.environment')
      ? refusal('unknown group_by dimension "annotations.environment"')
      : undefined,
  )
  const out = join(t.testdir(), 'initech')
  const run = await capture([...from(target, 'initech', INITECH_KEY), '--days', '3', '--out', out])
  t.equal(run.code, 1)
  const loss = (stream: string, identity: string) =>
    `the target refuses grouping ${stream} by annotations.environment with ${identity}: its records carry no annotations.environment`
  t.match(run.stderr, `capture: not reproduced: ${loss('serverless', 'model_name, api_key_id')}\n`)
  t.match(
    run.stdout,
    `Not reproduced (3):\n  - ${loss('serverless', 'model_name, api_key_id')}\n  - ${loss('dedicated', 'deployment_name')}\n  - ${loss('training', 'job_id')}\n`,
  )
  t.notMatch(readFileSync(join(out, 'serverless.ndjson'), 'utf8'), /environment/)
  const copy = await replay(t, out)
  const sourceSide = { server: source, account: 'initech', key: INITECH_KEY }
  const copySide = { server: copy, account: 'initech', key: capturedKeys(out).get('key_InitechMain00001')! }
  const w = 'startTime=2026-11-22T00:00:00Z&endTime=2026-11-25T00:00:00Z'
  await same(
    t,
    sourceSide,
    copySide,
    `billingUsage?${w}&groupBy=model_name&groupBy=api_key_name&groupBy=annotations.team`,
  )
  await same(t, sourceSide, copySide, `billing/summary?${w}&granularity=DAILY`)
})

t.test('an identity with several rows on both sides of a split: kept unjoined, said, exit code 1', async t => {
  // One key and model on one day with two teams and two projects: which team went with which
  // project is not in two answers of four dimensions each.
  const record = (time: string, model: string, team: string, project: string, promptTokens: number) => ({
    kind: 'serverless',
    account: 'mixed',
    time,
    model: `accounts/fireworks/models/${model}`,
    apiKeyId: 'key_Mixed00000000001',
    apiKeyName: 'one',
    promptTokens,
    annotations: { team, project },
  })
  source.addRecords([
    { account: 'mixed', keys: [{ id: 'key_Mixed00000000001', name: 'one', secret: 'fw_mixed01' }] },
    record('2026-11-23T10:00:00Z', 'kimi-k2p6', 'a', 'x', 100),
    record('2026-11-23T11:00:00Z', 'kimi-k2p6', 'b', 'y', 50),
    record('2026-11-23T12:00:00Z', 'gpt-oss-20b', 'a', 'x', 10),
  ])
  const target = await proxy(t, url =>
    usage(url) && url.searchParams.getAll('groupBy').length > 4 ? refusal('at most 4 group_by dimensions') : undefined,
  )
  const out = join(t.testdir(), 'mixed')
  const window = ['--start', '2026-11-23T00:00:00Z', '--end', '2026-11-24T00:00:00Z']
  const run = await capture([...from(target, 'mixed', 'fw_mixed01'), ...window, '--out', out])
  t.equal(run.code, 1)
  t.match(
    run.stdout,
    '  - 2 serverless rows could not be joined on annotations.project, annotations.environment (several values for one model_name, api_key_id on a day): their records carry none\n',
  )
  const copy = await replay(t, out)
  const key = capturedKeys(out).get('key_Mixed00000000001')!
  const byProject = async (server: MockServer, secret: string) => {
    const body = (await (
      await fetch(
        `${server.url}/v1/accounts/mixed/billingUsage?startTime=2026-11-23T00:00:00Z&endTime=2026-11-24T00:00:00Z&groupBy=annotations.project`,
        { headers: { authorization: `Bearer ${secret}` } },
      )
    ).json()) as { serverlessCosts: { group: Record<string, string>; promptTokens: string }[] }
    return body.serverlessCosts.map(r => [r.group['annotations.project'], r.promptTokens])
  }
  t.same(await byProject(source, 'fw_mixed01'), [
    ['x', '110'],
    ['y', '50'],
  ])
  t.same(
    await byProject(copy, key),
    [
      ['', '150'],
      ['x', '10'],
    ],
    'kimi-k2p6 without its projects, gpt-oss-20b joined',
  )
  await same(
    t,
    { server: source, account: 'mixed', key: 'fw_mixed01' },
    { server: copy, account: 'mixed', key },
    'billingUsage?startTime=2026-11-23T00:00:00Z&endTime=2026-11-24T00:00:00Z&groupBy=model_name&groupBy=annotations.team',
  )
})

t.test(
  'filter options: a value no row carries is said; a target that does not serve them is not asked again',
  async t => {
    const ghost = await proxy(t, url => {
      if (!url.pathname.endsWith('/accountUsageFilterOptions')) return undefined
      const body = { serverless: { model_name: ['accounts/fireworks/models/ghost'] }, dedicated: {}, training: {} }
      return { status: 200, body: JSON.stringify(body) }
    })
    const dir = t.testdir()
    const days = ['--days', '40', '--streams', 'serverless']
    const run = await capture([...from(ghost, 'initech', INITECH_KEY), ...days, '--out', join(dir, 'a')])
    t.equal(run.code, 1)
    t.match(
      run.stdout,
      '  - accountUsageFilterOptions lists 1 serverless model_name value(s) no captured row carries: "accounts/fireworks/models/ghost"\n',
    )
    const absent = await proxy(t, url =>
      url.pathname.endsWith('/accountUsageFilterOptions')
        ? { status: 404, body: '{"code":5,"message":"Not Found","details":[]}' }
        : undefined,
    )
    const quiet = await capture([...from(absent, 'initech', INITECH_KEY), ...days, '--out', join(dir, 'b')])
    t.equal(quiet.code, 0)
    t.match(
      quiet.stderr,
      'capture: accountUsageFilterOptions not served (404): the captured values are not checked against it\n',
    )
    t.same(
      quiet.fetched.map(u => new URL(u).pathname.split('/').pop()),
      ['billingUsage', 'accountUsageFilterOptions', 'billingUsage'],
      'two windows, the filter options asked once',
    )
  },
)

t.test('a 429 with Retry-After is waited out as long as it says, then the capture goes on', async t => {
  const target = await proxy(t, (url, n) =>
    n === 2
      ? {
          status: 429,
          headers: { 'retry-after': '7' },
          body: JSON.stringify({ code: 8, message: 'slow down', details: [] }),
        }
      : undefined,
  )
  const out = join(t.testdir(), 'initech')
  const run = await capture([...from(target, 'initech', INITECH_KEY), '--days', '3', '--out', out])
  t.equal(run.code, 0, run.stderr)
  t.same(run.sleeps, [250, 7000, 250, 250], 'spacing, then the wait Retry-After asks for')
  t.equal(run.fetched.length, 5, 'four requests and the retry')
  t.match(run.stdout, ', 3 days, 5 requests.\n')
})

t.test('a 500 midway: exit code 2, nothing written, an existing folder left as it was', async t => {
  const dir = t.testdir()
  const failingThird = () =>
    proxy(t, (_, n) =>
      n === 3 ? { status: 500, body: JSON.stringify({ code: 13, message: 'internal', details: [] }) } : undefined,
    )
  const out = join(dir, 'initech')
  const run = await capture([...from(await failingThird(), 'initech', INITECH_KEY), '--days', '3', '--out', out])
  t.equal(run.code, 2)
  t.match(
    run.stderr,
    /fireworks-usage-mock capture: failed, nothing written: the target answered 500 to GET \/v1\/accounts\/initech\/billingUsage\?\S+usageType=TRAINING\S*: internal\n$/,
  )
  t.equal(run.stdout, '')
  t.notOk(existsSync(out), 'no folder')
  t.same(readdirSync(dir), [], 'and no temporary folder beside it')

  mkdirSync(out)
  writeFileSync(join(out, 'mine.ndjson'), '{"account": "mine", "keys": []}\n')
  const args = [...from(await failingThird(), 'initech', INITECH_KEY), '--days', '3', '--out', out, '--replace']
  t.equal((await capture(args)).code, 2)
  t.same(readdirSync(out), ['mine.ndjson'], 'the folder holds what it held')
  t.same(readdirSync(dir), ['initech'], 'and nothing beside it')
})
