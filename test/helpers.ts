// Shared test helpers: small worlds built from inline fixture records, and an app over them.

import type { FastifyInstance } from 'fastify'
import { buildApp } from '../server/app.js'
import { configWith, type Config } from '../server/config.js'
import { buildWorld, type World } from '../server/data/world.js'

export const SECRET = 'fw_testSecret01'
export const OTHER_SECRET = 'fw_otherSecret01'
export const AUTH = { authorization: `Bearer ${SECRET}` }
/** The clock of every fixture-only test: well after all hand-written records. */
export const TEST_NOW = '2027-01-01T00:00:00Z'

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

/**
 * The configuration of every test app: silent, and every response checked against
 * openapi/fireworks-usage.yaml, so each HTTP test is also a contract test.
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return configWith({ logLevel: 'silent', validateResponses: true, ...overrides })
}

export function fixtureApp(records: object[], overrides: Partial<Config> = {}): FastifyInstance {
  return buildApp(testConfig({ now: Date.parse(TEST_NOW), ...overrides }), { world: fixtureWorld(records) })
}

/** GET billingUsage of test-co with the given query string; returns status, parsed body, headers. */
export async function usage(app: FastifyInstance, query: string, headers: Record<string, string> = AUTH) {
  const res = await app.inject({ method: 'GET', url: `/v1/accounts/test-co/billingUsage?${query}`, headers })
  return { status: res.statusCode, body: res.json(), headers: res.headers }
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

/** One whole UTC day of May 2026, as a query string. */
export const DAY_QUERY = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'

/** An inject request with a JSON body (a string body is sent as it is). */
export function jsonRequest(
  method: 'PUT' | 'POST' | 'DELETE' | 'GET',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return {
    method,
    url,
    headers: { 'content-type': 'application/json', ...headers },
    ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
  }
}

/** The acceleratorSeconds of each dedicated row of a billingUsage answer. */
export const acceleratorSecondsOf = (body: { dedicatedCosts: { acceleratorSeconds: string }[] }) =>
  body.dedicatedCosts.map(r => r.acceleratorSeconds)
