// The query-string parser, with qs limits chosen on purpose. Dots stay literal
// (filter[annotations.team][values]), objects have no prototype (no __proto__ pollution), and a
// limit that is exceeded is reported instead of silently dropping parameters.

import qs from 'qs'
import { ApiError, invalidArgument } from '../errors.js'

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

/**
 * Set on the parsed object when parsing failed (a router's query parser cannot throw): the
 * request reads its query through queryOf, which turns it into the 400.
 */
const QUERY_ERROR = Symbol('queryError')

/**
 * qs drops every `__proto__` key without a word; found first, it is an error instead of a
 * silently dropped filter. Names are found the way qs finds them: %5B and %5D read as brackets,
 * a name ends at the first `]=` (else the first `=`), then it is decoded, so a partly escaped
 * `_%5Fproto__` is caught too.
 */
function protoKey(text: string): string | undefined {
  // Without an escape every name is literal: `__proto__` would have to be spelled out.
  if (!text.includes('__proto__') && !text.includes('%')) return undefined
  for (const part of text.replace(/%5B/gi, '[').replace(/%5D/gi, ']').split('&')) {
    const bracketEquals = part.indexOf(']=')
    const end = bracketEquals === -1 ? part.indexOf('=') : bracketEquals + 1
    const rawKey = (end === -1 ? part : part.slice(0, end)).replace(/\+/g, ' ')
    let key = rawKey
    try {
      key = decodeURIComponent(rawKey)
    } catch {
      // a malformed escape stays literal, as qs leaves it
    }
    if (key.includes('__proto__')) return key
  }
  return undefined
}

export function parseQuerystring(text: string): Record<string | symbol, unknown> {
  const proto = protoKey(text)
  if (proto !== undefined)
    return { [QUERY_ERROR]: invalidArgument(`invalid query parameter name ${JSON.stringify(proto)}`) }
  try {
    return qs.parse(text, QS_OPTIONS) as Record<string | symbol, unknown>
  } catch (err) {
    return { [QUERY_ERROR]: invalidArgument(`invalid query string: ${(err as Error).message}`) }
  }
}

/** A request's parsed query; a query string the parser refused is its 400 here. */
export function queryOf(request: { query: unknown }): Record<string, unknown> {
  const query = queryOrRefusal(request)
  if (query instanceof ApiError) throw query
  return query
}

/** The parsed query, or the error the parser refused it with (the pipeline's step 4 throws it). */
export function queryOrRefusal(request: { query: unknown }): Record<string, unknown> | ApiError {
  const query = (request.query ?? {}) as Record<string | symbol, unknown>
  return (query[QUERY_ERROR] as ApiError | undefined) ?? query
}
