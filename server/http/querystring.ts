// The query-string parser, with qs limits chosen on purpose. Dots stay literal
// (filter[annotations.team][values]), objects have no prototype (no __proto__ pollution), and a
// limit that is exceeded is reported instead of silently dropping parameters.

import qs from 'qs'
import { invalidArgument, type ApiError } from '../errors.js'

export const QS_OPTIONS = {
  allowDots: false,
  allowPrototypes: false,
  plainObjects: true,
  depth: 3, // filter[<dimension>][values][<index>]
  strictDepth: true,
  arrayLimit: 1000,
  parameterLimit: 2000,
  throwOnLimitExceeded: true,
  duplicates: 'combine',
} as const satisfies qs.IParseOptions

/** Set on the parsed object when parsing failed; the routes turn it into a 400. */
export const QUERY_ERROR = Symbol('queryError')

export function parseQuerystring(text: string): Record<string | symbol, unknown> {
  try {
    return qs.parse(text, QS_OPTIONS) as Record<string | symbol, unknown>
  } catch (err) {
    return { [QUERY_ERROR]: invalidArgument(`invalid query string: ${(err as Error).message}`) }
  }
}

export function queryError(query: unknown): ApiError | undefined {
  return (query as Record<symbol, ApiError | undefined> | undefined)?.[QUERY_ERROR]
}
