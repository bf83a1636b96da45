// Reading query parameters the way grpc-gateway fills a request message [gw]: every field in
// its JSON (camelCase) and proto (snake_case) spelling, a singular field at most once, unknown
// parameters ignored (reported to the caller) or, in strict mode, rejected.

import { didYouMean } from '../did-you-mean.js'
import type { ApiError } from '../errors.js'
import { nestedParameter, notTimestamp, required, tooManyValues, unknownParameter } from '../messages.js'
import { own } from '../own.js'
import { parseRfc3339, type Instant } from '../time.js'

/** The real API's parameters in both spellings, by proto field name [gw]. */
const API_SPELLINGS: Record<string, string> = {
  startTime: 'start_time',
  start_time: 'start_time',
  endTime: 'end_time',
  end_time: 'end_time',
  usageType: 'usage_type',
  usage_type: 'usage_type',
  timezone: 'timezone',
  groupBy: 'group_by',
  group_by: 'group_by',
  filter: 'filter',
  granularity: 'granularity',
}

export interface Params {
  /** Proto field name -> every string given for it, in order, both spellings together. */
  values: Map<string, string[]>
  /** The `filter` map parameter as qs parsed it, if given. */
  filter: unknown
  /** Parameters the operation does not have, for the x-mock-ignored-params header. */
  ignored: string[]
  /** The parameter names the operation has, every spelling: what a misspelt one is compared to. */
  known: readonly string[]
}

/** Flattens a qs value of a plain or repeated parameter into strings, or rejects its shape. */
export function stringsOf(name: string, value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value) && value.every(v => typeof v === 'string')) return value
  throw nestedParameter(name)
}

/**
 * `fields` are the proto names of the operation's parameters; `spellings` maps each accepted
 * parameter name to its field (the real API's by default).
 */
export function readParams(
  raw: Record<string, unknown>,
  fields: readonly string[],
  strict = false,
  spellings: Record<string, string> = API_SPELLINGS,
): Params {
  const values = new Map<string, string[]>()
  const ignored: string[] = []
  const known = Object.keys(spellings).filter(name => fields.includes(spellings[name] as string))
  let filter: unknown
  for (const [param, value] of Object.entries(raw)) {
    const field = own(spellings, param)
    if (!field || !fields.includes(field)) {
      if (strict) throw unknownParameter(param, didYouMean(param, known))
      ignored.push(param)
    } else if (field === 'filter') filter = value
    else values.set(field, [...(values.get(field) ?? []), ...stringsOf(param, value)])
  }
  return { values, filter, ignored, known }
}

/**
 * A required parameter is missing. Unknown parameters stay ignored, as the real API ignores
 * them [gw], but the error says which were, with the name each was probably meant to be: a
 * misspelt `startime` is the likely reason `start_time` is missing [ours].
 */
function missing(params: Params, name: string): ApiError {
  return required(
    name,
    params.ignored.map(param => ({ param, hint: didYouMean(param, params.known) })),
  )
}

/** The one value of a singular field, or undefined. */
export function scalar(params: Params, name: string): string | undefined {
  const values = params.values.get(name)
  if (!values || values.length === 0) return undefined
  // [gw] populateFieldValueFromPath: a singular field given more than once is an error.
  if (values.length > 1) throw tooManyValues(name, values)
  return values[0]
}

/**
 * start_time and end_time: both required (an empty value counts as missing), then both
 * parseable, in that order [contract 1.3 steps 1 and 2].
 */
export function requiredWindow(params: Params): { start: Instant; end: Instant } {
  const startText = scalar(params, 'start_time')
  const endText = scalar(params, 'end_time')
  if (!startText) throw missing(params, 'start_time')
  if (!endText) throw missing(params, 'end_time')
  return { start: parseTime('start_time', startText), end: parseTime('end_time', endText) }
}

/**
 * The mock's own controls read parameters by the same rules, each under its one name (no
 * second spelling). An unknown one is a 400 [ours]: a misspelt filter (`acount=`) would
 * otherwise widen a count or a listing without a word.
 */
export function readControlParams(raw: Record<string, unknown>, names: readonly string[]): Params {
  return readParams(raw, names, true, Object.fromEntries(names.map(n => [n, n])))
}

/** A required timestamp parameter, by the same rules as start_time and end_time. */
export function requiredTime(params: Params, name: string): Instant {
  const text = scalar(params, name)
  if (!text) throw missing(params, name)
  return parseTime(name, text)
}

function parseTime(name: string, text: string): Instant {
  const instant = parseRfc3339(text)
  if (!instant) throw notTimestamp(name, text)
  return instant
}
