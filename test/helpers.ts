// Shared test helpers: small worlds built from inline fixture records, and an app over them.
// (The records and worlds themselves are in fixture-records.ts, which does not load the app.)

import type { FastifyInstance } from 'fastify'
import { buildApp, type AppDeps } from '../server/app.js'
import { configWith, type Config } from '../server/config.js'
import { fixtureWorld, SECRET } from './fixture-records.js'

export {
  dedicatedRecord,
  fixtureWorld,
  modelName,
  OTHER_SECRET,
  SECRET,
  serverlessRecord,
  trainingRecord,
} from './fixture-records.js'
export const AUTH = { authorization: `Bearer ${SECRET}` }
/** The clock of every fixture-only test: well after all hand-written records. */
export const TEST_NOW = '2027-01-01T00:00:00Z'

/**
 * The configuration of every test app: silent, and every response checked against
 * openapi/fireworks-usage.yaml, so each HTTP test is also a contract test.
 */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return configWith({ logLevel: 'silent', validateResponses: true, ...overrides })
}

export function fixtureApp(
  records: object[],
  overrides: Partial<Config> = {},
  deps: Omit<AppDeps, 'world'> = {},
): FastifyInstance {
  return buildApp(testConfig({ now: Date.parse(TEST_NOW), ...overrides }), { ...deps, world: fixtureWorld(records) })
}

/** GET billingUsage of test-co with the given query string; returns status, parsed body, headers. */
export async function usage(app: FastifyInstance, query: string, headers: Record<string, string> = AUTH) {
  const res = await app.inject({ method: 'GET', url: `/v1/accounts/test-co/billingUsage?${query}`, headers })
  return { status: res.statusCode, body: res.json(), headers: res.headers }
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

/** What tests compare of amounts (a record's, an aggregate's sums): those not zero, by quantity name. */
export const named = (spec: { quantities: readonly { name: string }[] }, m: ArrayLike<number>) =>
  Object.fromEntries(spec.quantities.map((q, i) => [q.name, m[i] as number]).filter(([, v]) => v !== 0))

/** Amounts in a stream's quantity order, from their names (an omitted one is 0). */
export const amounts = (spec: { quantities: readonly { name: string }[] }, byName: Record<string, number>) =>
  spec.quantities.map(q => byName[q.name] ?? 0)
