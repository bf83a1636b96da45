// Fixture files: formats, the line of each entry, the order of problems and the accounts that
// records name. Each entry's own rules (fields, defaults, rated costs, every problem of one
// entry) are fixture-entries.ts's, tested in fixture-entries.test.ts.
import t from 'tap'
import { elementLines, FixtureError, parseFixtures } from '../../server/data/fixtures.js'

function problemsOf(files: { path: string; text: string }[], known: string[] = []): string[] {
  try {
    parseFixtures(files, new Set(known))
  } catch (err) {
    if (err instanceof FixtureError) return err.problems
    throw err
  }
  return []
}

const ACCOUNT =
  '{"account": "acme", "keys": [{"id": "key_AcmeProd00000001", "name": "prod-eng", "secret": "fw_acme_prod"}]}'

t.test('the contract examples load: accounts apart, records in file order', async t => {
  const text = [
    ACCOUNT,
    '{"kind": "serverless", "account": "acme", "time": "2026-05-28T10:00:00Z", "model": "accounts/fireworks/models/kimi-k2p6", "apiKeyId": "key_AcmeProd00000001", "apiKeyName": "prod-eng", "usageType": "TEXT_COMPLETION_INFERENCE_USAGE", "promptTokens": 1000, "cachedPromptTokens": 200, "completionTokens": 300, "audioInputSeconds": 0, "costNanoUsd": 1234567, "annotations": {"team": "search"}}',
    '{"kind": "dedicated", "account": "acme", "time": "2026-05-28T10:00:00Z", "deployment": "accounts/acme/deployments/dep-a", "acceleratorType": "NVIDIA_H100_80GB", "acceleratorSeconds": 3600, "baseModel": "accounts/fireworks/models/kimi-k2p6", "placement": "US_IOWA_1", "annotations": {"environment": "prod"}}',
    '{"kind": "training", "account": "acme", "time": "2026-05-28T10:00:00Z", "jobId": "sft-job-1", "jobType": "SFT", "usageType": "TRAINING_TOKENS", "tokens": 5000000, "acceleratorType": "", "acceleratorSeconds": 0, "baseModel": "accounts/fireworks/models/llama-v3p1-8b-instruct", "trainingSessionId": "sess-1", "annotations": {}}',
    '{"kind": "serverless", "account": "acme", "time": "2026-05-28T11:00:00Z", "model": "accounts/fireworks/models/gpt-oss-20b", "promptTokens": 100}',
    '{"kind": "dedicated", "account": "acme", "time": "2026-05-28T11:00:00Z"}',
    '{"kind": "training", "account": "acme", "time": "2026-05-28T11:00:00Z"}',
  ].join('\n')
  const { accounts, records } = parseFixtures([{ path: 'a.ndjson', text }])
  t.same(accounts, [
    { account: 'acme', keys: [{ id: 'key_AcmeProd00000001', name: 'prod-eng', secret: 'fw_acme_prod' }] },
  ])
  t.equal(records.length, 6)
  t.same(
    records.map(r => [r.kind, r.time]),
    [
      ['serverless', Date.UTC(2026, 4, 28, 10)],
      ['dedicated', Date.UTC(2026, 4, 28, 10)],
      ['training', Date.UTC(2026, 4, 28, 10)],
      ['serverless', Date.UTC(2026, 4, 28, 11)],
      ['dedicated', Date.UTC(2026, 4, 28, 11)],
      ['training', Date.UTC(2026, 4, 28, 11)],
    ],
  )
  t.has(records[3], { costNanoUsd: 7000 }, 'records come through toRecord: the omitted cost is rated')
})

t.test('a JSON array and an {"accounts": [...]} object both load', async t => {
  const arr = parseFixtures([{ path: 'a.json', text: `[${ACCOUNT}]` }])
  const obj = parseFixtures([{ path: 'b.json', text: `{"accounts": [${ACCOUNT}]}` }])
  t.same(arr, obj)
})

t.test('each problem is reported as file:line: field: problem, blank lines counted', async t => {
  const text = [
    ACCOUNT,
    '{"kind": "serverless", "account": "acme", "time": "2026-05-28T10:00:00Z", "colour": "red"}',
    '',
    '{"kind": "serverless", "account": "acme", "time": "2026-05-28"}',
    '{"kind": "serverless", "account": "acme", "time": "2026-05-28T10:00:00Z", "promptTokens": 5, "cachedPromptTokens": 6}',
    '{"kind": "gpu", "account": "acme", "time": "2026-05-28T10:00:00Z"}',
    '{"kind": "serverless", "account": "nobody", "time": "2026-05-28T10:00:00Z"}',
    '{"kind": "serverless", "account": "acme"}',
    '[1]',
    '"acme"',
    '{"kind": "serverless", "account": "acme", "time": "2026-05-28T10:00:00Z"',
    '{"account": "Bad Name"}',
    '{"keys": []}',
  ].join('\n')
  t.same(problemsOf([{ path: 'fx/usage.ndjson', text }]), [
    'fx/usage.ndjson:2: colour: unknown field',
    'fx/usage.ndjson:4: time: must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got "2026-05-28"',
    'fx/usage.ndjson:5: cachedPromptTokens: must not exceed promptTokens (5), got 6',
    'fx/usage.ndjson:6: kind: must be one of serverless, dedicated, training, got "gpu"',
    'fx/usage.ndjson:7: account: no fixture file or world defines account "nobody"',
    'fx/usage.ndjson:8: time: is required',
    'fx/usage.ndjson:9: entry: must be an object, got [1]',
    'fx/usage.ndjson:10: entry: must be an object, got "acme"',
    `fx/usage.ndjson:11: json: ${jsonError('{"kind": "serverless", "account": "acme", "time": "2026-05-28T10:00:00Z"')}`,
    'fx/usage.ndjson:12: account: must be an account id slug like "my-account", got "Bad Name"',
    'fx/usage.ndjson:13: kind: is required for a record (an account entry has "account" and "keys")',
  ])
})

function jsonError(text: string): string {
  try {
    JSON.parse(text)
  } catch (err) {
    return (err as Error).message
  }
  return ''
}

t.test('JSON files report the line where the bad entry starts, and its index in the array', async t => {
  const text = `[
  ${ACCOUNT},
  {
    "kind": "serverless",
    "account": "acme",
    "time": "2026-05-28T10:00:00Z",
    "promptTokens": -1
  },
  {"kind": "dedicated", "account": "acme", "time": "x"}
]`
  t.same(problemsOf([{ path: 'f.json', text }]), [
    'f.json:3 [1]: promptTokens: must be a non-negative integer, got -1',
    'f.json:9 [2]: time: must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got "x"',
  ])
  const broken = '[\n  {"kind": "dedicated",\n   "account": "acme" "time": 1}\n]'
  t.match(problemsOf([{ path: 'g.json', text: broken }])[0], /^g\.json:3: json: /)
  t.same(problemsOf([{ path: 'h.json', text: '{"records": []}' }]), [
    'h.json:1: json: must be an array of entries or {"accounts": [...]}',
  ])
})

t.test('elements of a JSON array on one line are told apart by their index', async t => {
  const rec = (fields: string) => `{"kind": "serverless", "account": "acme", "time": "2026-05-28T10:00:00Z"${fields}}`
  const text = `[${ACCOUNT}, ${rec(', "promptTokens": -1')}, ${rec('')}, ${rec(', "colour": 1, "account": "nobody"')}]`
  t.same(problemsOf([{ path: 'one-line.json', text }]), [
    'one-line.json:1 [1]: promptTokens: must be a non-negative integer, got -1',
    'one-line.json:1 [3]: colour: unknown field',
    'one-line.json:1 [3]: account: no fixture file or world defines account "nobody"',
  ])
  const wrapped = `{"accounts": [${rec(', "promptTokens": -1')}, ${ACCOUNT}, ${rec(', "time": "x"')}]}`
  t.same(problemsOf([{ path: 'w.json', text: wrapped }]), [
    'w.json:1 [0]: promptTokens: must be a non-negative integer, got -1',
    'w.json:1 [2]: time: must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got "x"',
  ])
})

t.test('records may name accounts defined in another file or by the world', async t => {
  const rec = '{"kind": "dedicated", "account": "acme", "time": "2026-05-28T10:00:00Z"}'
  t.same(
    problemsOf([
      { path: 'r.ndjson', text: rec },
      { path: 's.ndjson', text: ACCOUNT },
    ]),
    [],
  )
  t.same(problemsOf([{ path: 'r.ndjson', text: rec }], ['acme']), [])
  t.same(problemsOf([{ path: 'r.ndjson', text: rec }]), [
    'r.ndjson:1: account: no fixture file or world defines account "acme"',
  ])
})

t.test('elementLines skips strings holding brackets and commas', async t => {
  t.same(elementLines('[\n"a,[", {"b": "]}"},\n\n 3]', 1), [2, 2, 4])
  t.same(elementLines('{"accounts": [\n{},\n{}\n]}', 2), [2, 3])
})

t.test("every problem of an entry is reported on the entry's line, its undefined account last", async t => {
  const text = [
    ACCOUNT,
    '{"kind": "serverless", "account": "nobody", "time": "yesterday", "promptTokens": -1, "colour": "red", "annotations": {"owner": "x", "team": 5}}',
    '{"kind": "serverless", "account": "acme", "time": "2026-05-28T10:00:00Z", "promptTokens": 5, "cachedPromptTokens": 6, "completionTokens": 1.5}',
    '{"kind": "dedicated", "time": 7}',
    '{"account": "Bad Name", "keys": [{"id": "", "name": "n", "secret": "s", "owner": "pat"}], "plan": "pro"}',
  ].join('\n')
  t.same(problemsOf([{ path: 'many.ndjson', text }]), [
    'many.ndjson:2: time: must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got "yesterday"',
    'many.ndjson:2: promptTokens: must be a non-negative integer, got -1',
    'many.ndjson:2: colour: unknown field',
    'many.ndjson:2: annotations.owner: unknown annotation key (allowed: team, project, environment)',
    'many.ndjson:2: annotations.team: must be a string, got 5',
    'many.ndjson:2: account: no fixture file or world defines account "nobody"',
    'many.ndjson:3: completionTokens: must be a non-negative integer, got 1.5',
    'many.ndjson:3: cachedPromptTokens: must not exceed promptTokens (5), got 6',
    'many.ndjson:4: time: must be a string, got 7',
    'many.ndjson:4: account: is required',
    'many.ndjson:5: plan: unknown field',
    'many.ndjson:5: account: must be an account id slug like "my-account", got "Bad Name"',
    'many.ndjson:5: keys[0].owner: unknown field',
    'many.ndjson:5: keys[0].id: must be a non-empty string, got ""',
  ])
})

t.test('problems of several files come sorted by file, then line', async t => {
  const bad = (line: string) => `{"kind": "dedicated", "account": "acme", "time": "${line}"}`
  t.same(
    problemsOf([
      { path: 'b.ndjson', text: [bad('x'), bad('2026-05-28T10:00:00Z'), bad('y')].join('\n') },
      { path: 'a.ndjson', text: `${ACCOUNT}\n${bad('z')}` },
    ]),
    [
      'b.ndjson:1: time: must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got "x"',
      'b.ndjson:3: time: must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got "y"',
      'a.ndjson:2: time: must be an RFC 3339 timestamp like 2026-05-28T10:00:00Z, got "z"',
    ],
  )
})
