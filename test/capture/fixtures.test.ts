// The files a capture writes, from hand-written rows: the account and its keys, records the
// mock's own loader accepts, --as renaming the account's resource names, and --redact's stable
// pseudonyms and their map.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildFixtures } from '../../server/capture/fixtures.js'
import { Pseudonyms, readPseudonyms, writePseudonyms } from '../../server/capture/redact.js'
import type { Part } from '../../server/capture/rows.js'
import { parseFixtures } from '../../server/data/fixtures.js'

const DAY = Date.parse('2026-05-28T00:00:00Z')
const H = 3_600_000

function serverless(keyId: string, keyName: string, team: string, startMs = DAY): Part {
  return {
    startMs,
    endMs: startMs + 2 * H,
    split: 'TEXT_COMPLETION_INFERENCE_USAGE',
    values: {
      model_name: 'accounts/acme/models/my-tune',
      api_key_id: keyId,
      api_key_name: keyName,
      'annotations.team': team,
      'annotations.project': 'apollo',
      'annotations.environment': 'prod',
    },
    attributes: { usageType: 'TEXT_COMPLETION_INFERENCE_USAGE' },
    amounts: { uncached: 10, cached: 0, completion: 0, audioMicros: 0, cost: 0 },
  }
}
const dedicated: Part = {
  startMs: DAY,
  endMs: DAY + H,
  split: '',
  values: {
    deployment_name: 'accounts/acme/deployments/secret-dep',
    accelerator_type: 'NVIDIA_H100_80GB',
    'annotations.team': 'search',
  },
  attributes: { baseModel: 'accounts/acme/models/my-tune', placement: 'US_IOWA_1', usageType: '' },
  amounts: { acceleratorSeconds: 3600 },
}
let n = 0
const secret = () => `fw_test${++n}`

t.test('the account with its keys (the latest name of each id) and records the mock loads', async t => {
  n = 0
  const parts = new Map([
    [
      'serverless',
      [
        serverless('key_B', 'old-name', 'search'),
        serverless('key_B', 'new-name', 'search', DAY + 24 * H),
        serverless('key_A', 'a', ''),
      ],
    ],
    ['dedicated', [dedicated]],
  ])
  const fixtures = buildFixtures(parts, { account: 'acme', as: 'acme', pseudonyms: null, secret })
  t.same(
    fixtures.files.map(f => f.name),
    ['account.json', 'serverless.ndjson', 'dedicated.ndjson'],
  )
  t.same(fixtures.keys, [
    { id: 'key_A', name: 'a', secret: 'fw_test1' },
    { id: 'key_B', name: 'new-name', secret: 'fw_test2' },
  ])
  t.same(
    [...fixtures.records],
    [
      ['serverless', 6],
      ['dedicated', 1],
    ],
  )
  const parsed = parseFixtures(fixtures.files.map(f => ({ path: f.name, text: f.text })))
  t.same(parsed.accounts, [{ account: 'acme', keys: fixtures.keys }])
  t.equal(parsed.records.length, 7)
  // Sorted by time, then by values: key_A's row comes before key_B's on the first day.
  t.same(
    fixtures.files[1]!.text.trim()
      .split('\n')
      .map(l => JSON.parse(l) as Record<string, unknown>)
      .map(r => [r.time, r.apiKeyId, r.promptTokens]),
    [
      ['2026-05-28T00:00:00Z', 'key_A', 6],
      ['2026-05-28T01:00:00Z', 'key_A', 4],
      ['2026-05-28T00:00:00Z', 'key_B', 6],
      ['2026-05-28T01:00:00Z', 'key_B', 4],
      ['2026-05-29T00:00:00Z', 'key_B', 6],
      ['2026-05-29T01:00:00Z', 'key_B', 4],
    ],
  )
})

t.test('an account without serverless usage still gets a key to be reached with', async t => {
  n = 0
  const fixtures = buildFixtures(new Map([['dedicated', [dedicated]]]), {
    account: 'acme',
    as: 'acme',
    pseudonyms: null,
    secret,
  })
  t.equal(fixtures.keys.length, 1)
  t.match(fixtures.keys[0], { id: /^key_[A-Za-z0-9]{16}$/, name: 'captured', secret: 'fw_test1' })
})

t.test('--as renames the account and its resource names, and nothing else', async t => {
  const fixtures = buildFixtures(new Map([['dedicated', [dedicated]]]), {
    account: 'acme',
    as: 'acme-copy',
    pseudonyms: null,
    secret,
  })
  const [record] = fixtures.files[1]!.text.trim()
    .split('\n')
    .map(l => JSON.parse(l) as Record<string, unknown>)
  t.match(record, {
    account: 'acme-copy',
    deployment: 'accounts/acme-copy/deployments/secret-dep',
    baseModel: 'accounts/acme-copy/models/my-tune',
    acceleratorType: 'NVIDIA_H100_80GB',
  })
  t.match(fixtures.files[0]!.text, '{"account": "acme-copy", "keys": [')
})

t.test('--redact: key names, deployments, teams and projects become pseudonyms numbered in sorted order', async t => {
  const pseudonyms = new Pseudonyms()
  const parts = new Map([
    ['serverless', [serverless('key_B', 'zeta', 'search'), serverless('key_A', 'alpha', '')]],
    ['dedicated', [dedicated]],
  ])
  const fixtures = buildFixtures(parts, { account: 'acme', as: 'acme', pseudonyms, secret })
  t.same(pseudonyms.mapping, {
    api_key_name: { alpha: 'key-1', zeta: 'key-2' },
    deployment_name: { 'accounts/acme/deployments/secret-dep': 'accounts/acme/deployments/deployment-1' },
    'annotations.team': { search: 'team-1' },
    'annotations.project': { apollo: 'project-1' },
  })
  const text = fixtures.files.map(f => f.text).join('')
  for (const name of ['zeta', 'alpha', 'secret-dep', 'search', 'apollo'])
    t.notOk(text.includes(name), `${name} is not in the fixtures`)
  t.same(
    fixtures.keys.map(k => k.name),
    ['key-1', 'key-2'],
  )
  t.match(text, '"environment":"prod"', 'environments are kept')
  t.match(text, '"model":"accounts/acme/models/my-tune"', 'and models')
  t.match(text, '"annotations":{"project":"project-1","environment":"prod"}', 'a missing team stays missing')
})

t.test('the map is read back: a name keeps its pseudonym, a new one gets the next number', async t => {
  const dir = t.testdir()
  const path = join(dir, 'acme.redactions.json')
  const first = new Pseudonyms()
  first.assign('annotations.team', ['search', 'ads'], 'acme')
  writePseudonyms(path, first)
  t.match(
    readFileSync(path, 'utf8'),
    /"note": "fireworks-usage-mock capture --redact: real names and their pseudonyms\. Not a fixture/,
  )
  const again = readPseudonyms(path)
  again.assign('annotations.team', ['billing', 'search', 'constructor', ''], 'acme')
  t.same(again.mapping['annotations.team'], {
    ads: 'team-1',
    search: 'team-2',
    billing: 'team-3',
    constructor: 'team-4',
  })
  t.equal(again.of('annotations.team', 'toString'), 'toString', 'a name never seen is itself')
  t.equal(again.of('annotations.team', ''), '')
  t.equal(readPseudonyms(join(dir, 'none.json')).of('api_key_name', 'x'), 'x', 'no file: no names yet')
  writeFileSync(path, '{"api_key_name": ["x"]}')
  t.throws(() => readPseudonyms(path), { message: /not a redaction map/ })
})
