// What an operation of the real API is, to the pipeline (pipeline.ts): how it reads its
// parameters, what they name, the answer and its explanation. The operations themselves are in
// operations.ts; a new one is an entry there and a route in http/api-routes.ts.

import type { KeyOwner, WorldAccount } from '../data/world.js'
import type { EngineOptions } from '../usage/aggregate.js'
import type { JsonAnswer } from '../usage/billing-usage.js'
import type { Explanation } from '../usage/explain.js'

/** What an answer is computed for: the caller, its account, the parameters and the clock. */
export interface Call<Q> {
  account: WorldAccount
  owner: KeyOwner
  query: Q
  nowMs: number
  engine: EngineOptions
  worldStartMs: number
}

interface Core<Q> {
  /** The OpenAPI operationId. */
  name: string
  method?: 'GET' | 'POST'
  /** The parameters from the query string, or from the JSON body of a POST [gw]. */
  parse(input: { query: Record<string, unknown>; body: unknown }): { query: Q; ignored: string[] }
  answer(call: Call<Q>): JsonAnswer
  explain(query: Q, nowMs: number): Explanation
}

/** An operation that reads a window of usage: answered from the answer cache when it can be. */
export interface WindowedOperation<Q> extends Core<Q> {
  /** The instants the answer reads: what of them exists names the data it was computed from. */
  window(query: Q): { fromMs: number; toMs: number }
  /**
   * The parsed query's meaning, for the answer cache: equal exactly when the answers are, so
   * `?a=1&b=2` and `?b=2&a=1`, the two spellings of a name, or an ignored parameter share an
   * answer, and a parameter that changes the answer does not.
   */
  identity(query: Q): string
  /** What the answer depends on besides the query and the data (the caller's user, the clock). */
  varies?(call: Call<Q>): string
}

/** An operation that reads no window (the account resources): computed every time. */
export interface PlainOperation<Q> extends Core<Q> {
  window?: undefined
}

export type Operation<Q> = WindowedOperation<Q> | PlainOperation<Q>
