// Fixture records and small worlds for tests, without the app: unit tests import these from here
// (loading Fastify and the whole app costs every test file a few tenths of a second), HTTP tests
// through test/helpers.ts, which re-exports them.

import { buildWorld, type World } from '../server/data/world.js'

export const SECRET = 'fw_testSecret01'
export const OTHER_SECRET = 'fw_otherSecret01'

const ACCOUNTS = [
  { account: 'test-co', keys: [{ id: 'key_TestCo0000000001', name: 'prod-eng', secret: SECRET }] },
  { account: 'other-co', keys: [{ id: 'key_OtherCo000000001', name: 'other', secret: OTHER_SECRET }] },
]

/** A world of fixture records only (no synthetic accounts), accounts test-co and other-co. */
export function fixtureWorld(records: object[]): World {
  const text = [...ACCOUNTS, ...records].map(r => JSON.stringify(r)).join('\n')
  return buildWorld({
    seed: 1,
    spec: { start: '2026-01-01T00:00:00Z', accounts: [] },
    files: [{ path: 'test.ndjson', text }],
  })
}

/** The full name of a Fireworks serverless model: accounts/fireworks/models/<id>. */
export const modelName = (id: string) => `accounts/fireworks/models/${id}`

/** A serverless fixture record of test-co. */
export function serverlessRecord(time: string, fields: Record<string, unknown> = {}) {
  return {
    kind: 'serverless',
    account: 'test-co',
    time,
    model: modelName('gpt-oss-20b'),
    apiKeyId: 'key_A',
    apiKeyName: 'a',
    ...fields,
  }
}
export function dedicatedRecord(time: string, fields: Record<string, unknown> = {}) {
  return {
    kind: 'dedicated',
    account: 'test-co',
    time,
    deployment: 'accounts/test-co/deployments/dep-a',
    acceleratorType: 'NVIDIA_H100_80GB',
    ...fields,
  }
}
export function trainingRecord(time: string, fields: Record<string, unknown> = {}) {
  return { kind: 'training', account: 'test-co', time, jobId: 'job-1', jobType: 'SFT', ...fields }
}
