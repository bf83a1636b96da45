// The messages a client gets, each a function of what it names, returning the error to throw
// (errors.ts holds the codes, the HTTP statuses and the envelope). Grouped by operation or area;
// each says which behaviour it mimics: [real] Fireworks' documented rule, [gw] grpc-gateway's,
// [client] what clients rely on, [ours] the mock's own choice (contract 1.3: the validation order
// and the wording are ours unless marked). The texts are part of the contract tests and the
// OpenAPI examples: change one only together with them.
// Imports nothing of ours but errors.ts, so every module may import it (`npm run lint:deps`);
// callers pass in what a message names (a did-you-mean hint, a limit, a list of names).
// Still written where they are thrown: the HTTP layer's (server/http/: authentication, the query
// string, mock headers, the x-mock-session header, the /_mock controls' bodies, the records and
// accounts controls), app.ts's (shutting down, rate limit), and grpc-gateway's own Not Found and
// Method Not Allowed in errors.ts.

import { ApiError, internal, invalidArgument, permissionDenied, resourceExhausted, type GrpcCode } from './errors.js'

/** A value as the message quotes it: strings in double quotes, other JSON as written. */
const show = (value: unknown) => JSON.stringify(value)

// --- Query parameters and windows (billingUsage, its companions, the /_mock controls' queries) ---

/** [ours] `start_time[a]=...` where a plain value is expected (qs would make it an object). */
export const nestedParameter = (name: string) =>
  invalidArgument(`invalid ${name}: expected ${name}=<value>, got a nested parameter`)

/** [ours] STRICT_PARAMS and the /_mock controls; the real API ignores unknown parameters [gw]. */
export const unknownParameter = (param: string, hint: string) =>
  invalidArgument(`unknown query parameter ${show(param)}${hint}`)

/**
 * [ours, contract 1.3 step 1] A required parameter (or usageCosts:query field) is missing or
 * empty. `ignored` are the unknown parameters of the request with their did-you-mean hints: a
 * misspelt `startime` is the likely reason `start_time` is missing.
 */
export function required(name: string, ignored: readonly { param: string; hint: string }[] = []): ApiError {
  if (ignored.length === 0) return invalidArgument(`${name} is required`)
  const list = ignored.map(({ param, hint }) => `${show(param)}${hint}`).join(', ')
  return invalidArgument(`${name} is required; ignored unknown parameter${ignored.length > 1 ? 's' : ''} ${list}`)
}

/** [gw] populateFieldValueFromPath's words for a singular field given more than once. */
export const tooManyValues = (field: string, values: readonly string[]) =>
  invalidArgument(`too many values for field ${show(field)}: ${values.join(', ')}`)

/** [ours, contract 1.3 step 2] Names the field and the value; what parses is grpc-gateway's [gw]. */
export const notTimestamp = (name: string, text: string) =>
  invalidArgument(`invalid ${name} ${show(text)}: must be an RFC 3339 timestamp such as 2026-05-01T00:00:00Z`)

/**
 * [ours, contract 1.3 step 3] An enum parameter (usage_type, granularity) that is neither one of
 * its names [real] nor one of their numbers [gw].
 */
export const unknownEnumValue = (name: string, text: string, names: readonly string[]) =>
  invalidArgument(`invalid ${name} ${show(text)}: must be one of ${names.join(', ')} or 0-${names.length - 1}`)

/** [ours] `filter=x`: the filter is a map [real], `filter[<dimension>][values]=<value>`. */
export const filterNotMap = () => invalidArgument('invalid filter: expected filter[<dimension>][values]=<value>')

/** [ours] `filter[model_name]=x`: `where` is the parameter as written, `filter[model_name]`. */
export const filterEntryNotMap = (where: string) =>
  invalidArgument(`invalid ${where}: expected ${where}[values]=<value>`)

/** [ours] `filter[model_name][value]=x`: a filter entry has `values` only. */
export const filterEntryUnknownField = (where: string, field: string) =>
  invalidArgument(`invalid ${where}: unknown field ${show(field)}, expected ${where}[values]=<value>`)

/** [ours] `filter[d][values][x]=...`: the indexed forms (`values[0]=a`) are the only keyed ones. */
export const filterValuesNotList = (where: string) =>
  invalidArgument(`invalid ${where}[values]: expected a list of values`)

/** [ours, contract 1.3 step 7] A group_by or filter dimension no stream has; `all` are every stream's. */
export const unknownDimension = (kind: 'group_by' | 'filter', dimension: string, all: readonly string[]) =>
  invalidArgument(`unknown ${kind} dimension ${show(dimension)}; valid dimensions are ${all.join(', ')}`)

/** [ours, contract 1.3 step 8] With an explicit usage_type, a dimension of another stream [real]. */
export const dimensionNotOfUsageType = (kind: 'group_by' | 'filter', dimension: string, usageType: string) =>
  invalidArgument(`${kind} dimension ${show(dimension)} does not apply to usage_type ${usageType}`)

/**
 * [ours, contract 1.3 step 4] The window is empty or reversed; the names as the operation spells
 * them (`start_time`/`end_time` for billingUsage, `startTime`/`endTime` in usageCosts:query).
 */
export const startNotBeforeEnd = (start: string, end: string) => invalidArgument(`${start} must be before ${end}`)

/** [ours, contract 1.3 step 5] More than `maxDays` x 24 hours (exactly that many is allowed). */
export const windowTooLong = (start: string, end: string, maxDays: number) =>
  invalidArgument(`${end} must not be more than ${maxDays} days after ${start}`)

/** [ours, contract 2] billing/summary reads only the UTC dates [real]; a start date after the end date. */
export const summaryDatesReversed = () => invalidArgument('the start_time date must not be after the end_time date')

/** [ours] billing/summary, like billingUsage, covers at most `maxDays` days per request. */
export const summaryTooManyDays = (maxDays: number) =>
  invalidArgument(`the end_time date must not be more than ${maxDays} days after the start_time date`)

// --- Time zones ---

/**
 * [ours, contract 1.3 step 6] Not a name of the IANA database as it spells it [real: "IANA
 * zone"; which spellings count is ours, usage/zones.ts]; `hint` is zoneHint's did-you-mean.
 */
export const unknownZone = (zone: string, hint: string) =>
  invalidArgument(`invalid timezone ${show(zone)}: must be an IANA time zone such as America/Los_Angeles${hint}`)

// --- usageCosts:query body [costs-and-accounts.md 2.1]; `name` is each field as the body spells it ---

/** [gw] A body that is not a JSON object is 400 code 3. */
export const costsBodyNotObject = () => invalidArgument('the body must be a JSON object (GatewayQueryUsageCostsBody)')

/** [gw] protojson: a field given both in lowerCamel and in snake_case is a duplicate. */
export const duplicateField = (where: string, camel: string, snake: string) =>
  invalidArgument(`duplicate field ${where}${camel} (given as ${camel} and ${snake})`)

/** [ours] An unparseable startTime/endTime; the example is a day-aligned one, as clients send [client]. */
export const costsNotTimestamp = (name: string, value: unknown) =>
  invalidArgument(`invalid ${name} ${show(value)}: must be an RFC 3339 timestamp such as 2026-07-01T00:00:00Z`)

/** [ours] More than `maxDays` days: clients chunk long ranges into 31-day windows [client]. */
export const costsWindowTooLong = (maxDays: number) =>
  invalidArgument(`the window must not be longer than ${maxDays} days (query longer ranges in chunks)`)

/** [ours] groupBy is a list of the enum's dimensions [real]; `dimensions` without DIMENSION_UNSPECIFIED. */
export const groupByNotList = (name: string, dimensions: readonly string[]) =>
  invalidArgument(`invalid ${name}: must be an array of ${dimensions.join(', ')}`)

/** [ours] A groupBy value that is no dimension, by name or number [gw]. */
export const groupByUnknown = (name: string, value: unknown, dimensions: readonly string[]) =>
  invalidArgument(`invalid ${name} value ${show(value)}: must be one of ${dimensions.join(', ')}`)

/** [ours] DIMENSION_UNSPECIFIED groups by nothing. */
export const groupByUnspecified = (name: string, dimension: string) =>
  invalidArgument(`invalid ${name} value ${dimension}: name a dimension`)

/** [ours] The same dimension twice. */
export const groupByRepeated = (name: string, dimension: string) =>
  invalidArgument(`invalid ${name}: ${dimension} is given twice`)

/** [real] "grouped by up to two" dimensions; `given` is every dimension asked for. */
export const groupByTooMany = (name: string, max: number, given: readonly string[]) =>
  invalidArgument(`invalid ${name}: at most ${max} dimensions, got ${given.length} (${given.join(', ')})`)

/** [client] "HOUR and DAY are mutually exclusive". */
export const groupByHourAndDay = (name: string) =>
  invalidArgument(`invalid ${name}: HOUR and DAY are mutually exclusive`)

/** [ours] A field that must be a JSON object (filter). */
export const notObject = (name: string) => invalidArgument(`invalid ${name}: must be an object`)

/** [real] Each filter field is a single string (gatewayUsageCostFilter); so is pageToken. */
export const notString = (name: string) => invalidArgument(`invalid ${name}: must be a string`)

/** [ours] A scope that is none of the enum's names or numbers [real, gw]. */
export const unknownScope = (name: string, value: unknown, scopes: readonly string[]) =>
  invalidArgument(`invalid ${name} ${show(value)}: must be one of ${scopes.join(', ')}`)

/**
 * [real] ACCOUNT scope "requires account administrator access"; [ours] 403 code 7 naming the
 * caller's user, which clients answer by retrying with SELF [client].
 */
export const accountScopeNeedsAdmin = (user: string) =>
  permissionDenied(`scope ACCOUNT needs an account administrator; ${user} is not one (use scope SELF)`)

// --- Accounts (GET /v1/accounts, GET /v1/accounts/{id}) [costs-and-accounts.md 1] ---

/** [ours] readMask selects top-level fields, in either spelling; `fields` are the ones there are. */
export const readMaskUnknownField = (param: string, path: string, fields: readonly string[]) =>
  invalidArgument(`invalid ${param}: unknown field ${show(path)} (fields: ${fields.join(', ')}, or *)`)

/** [ours] The accounts' filter is one string (AIP-160) [real], not the usage operations' map. */
export const accountsFilterNested = () =>
  invalidArgument('invalid filter: expected filter=<expression>, got a nested parameter')

/** [ours] AIP-160 restricted to the one comparison cost tools need. */
export const accountsFilterUnsupported = (filter: string) =>
  invalidArgument(`invalid filter ${show(filter)}: only name="accounts/<account id>" is supported`)

// --- Page sizes and page tokens (accounts and usageCosts:query) ---

/** [ours] pageSize is an int32 [real], as a JSON number or a string of digits [gw]. */
export const pageSizeNotInteger = (name: string, value: unknown) =>
  invalidArgument(`invalid ${name} ${show(value)}: must be an integer`)

/** [ours] A negative pageSize (0 is the default, larger than the maximum is clamped [real]). */
export const pageSizeNegative = (name: string, n: number) =>
  invalidArgument(`invalid ${name} ${n}: must not be negative`)

/**
 * [real] "all other parameters must match the call that provided the page token"; [ours] a token
 * used with other parameters, or never issued, is 400 code 3 (usage/page-token.ts).
 */
export const pageTokenNotIssued = (field: string) =>
  invalidArgument(`invalid ${field}: it was not issued for a request with these parameters`)

// --- Fault rules (PUT /_mock/faults) [ours]: each problem names the rule's index and field ---

const rule = (index: number) => `rules[${index}]`

export const faultRulesNotList = () => invalidArgument('faults: expected an array of rules or {"rules": [...]}')

export const faultRuleNotObject = (index: number) => invalidArgument(`${rule(index)}: must be an object`)

/** `hint` is the did-you-mean of the rule's known fields. */
export const faultRuleUnknownField = (index: number, field: string, hint: string) =>
  invalidArgument(`${rule(index)}.${field}: unknown field${hint}`)

export const faultRuleNotIntegerIn = (index: number, field: string, min: number, max: number) =>
  invalidArgument(`${rule(index)}.${field}: must be an integer from ${min} to ${max}`)

export const faultRuleNotString = (index: number, field: string) =>
  invalidArgument(`${rule(index)}.${field}: must be a string`)

/** Rules match the request's path alone: one that could never match would sit there silently. */
export const faultRuleBadPath = (index: number) =>
  invalidArgument(`${rule(index)}.path: must be a path starting with / and without a query, like /v1/**`)

/** `codes` are the google.rpc.Code numbers errors.ts knows. */
export const faultRuleUnknownCode = (index: number, codes: readonly number[]) =>
  invalidArgument(`${rule(index)}.code: must be one of the gRPC codes ${codes.join(', ')}`)

export const faultRuleBadProbability = (index: number) =>
  invalidArgument(`${rule(index)}.probability: must be a number from 0 to 1`)

export const faultRuleDoesNothing = (index: number) =>
  invalidArgument(`${rule(index)}: needs a status, a delayMs or both`)

export const faultRuleCodeWithoutStatus = (index: number) =>
  invalidArgument(`${rule(index)}: code and message need a status`)

/**
 * A fired rule's answer: its status, its gRPC code (the status's by default, grpcCodeForStatus)
 * and its message, by default one that says the error was injected [ours].
 */
export const injectedFault = (code: GrpcCode, status: number, message?: string) =>
  new ApiError(code, message ?? `injected fault: HTTP ${status}`, status)

// --- Sessions (x-mock-session, /_sessions/<name>/, /_mock/sessions) [ours] ---

/** `where` says where the name came from: the header, or the path prefix. */
export const badSessionName = (name: string, where: string) =>
  invalidArgument(
    `invalid session name ${show(name)} in ${where}: use 1-64 characters of A-Z, a-z, 0-9, '.', '_' and '-'`,
  )

/** One session more than MAX_SESSIONS: refused (429 code 8), never made room for by dropping a live one. */
export const tooManySessions = (maxSessions: number, ttl: string) =>
  resourceExhausted(
    `at most ${maxSessions} sessions may exist (MAX_SESSIONS); drop one with DELETE /_mock/sessions/<name>, or let idle ones expire (SESSION_TTL ${ttl})`,
  )

export const defaultSessionNotDroppable = () =>
  invalidArgument('the default session cannot be dropped; POST /_mock/reset resets it')

// --- Usage lag (USAGE_LAG, PUT /_mock/usage-lag) [ours, costs-and-accounts.md 4] ---

/**
 * What a usage lag may be, as the plain Error of data/lag.ts: the setting names it at start-up,
 * PUT /_mock/usage-lag puts it in a 400 after the value.
 */
export const badUsageLag = (maxSettleDays: number) =>
  new Error(
    `must be 0 or <delay>/<settle> like 2h/26h: each 0 or whole seconds, minutes, hours or days (90s, 30m, 2h, 1d), the delay at most the settle time, the settle time at most ${maxSettleDays}d`,
  )

// --- Internal: an amount a double no longer holds exactly [ours]; refused (500 code 13) rather than rounded ---

/** The engine's hourly sums (usage/hourly-sums.ts). */
export const hourlySumTooLarge = (sum: number) =>
  internal(`an hourly usage sum (${sum}) exceeds 2^53 and cannot be summed exactly`)

/** A row's int64 total (streams/stream.ts). */
export const usageTotalTooLarge = (total: number) =>
  internal(`a usage total (${total}) exceeds 2^53 and cannot be summed exactly`)

/** A billing/summary line item's amount (usage/summary.ts). */
export const lineItemTooLarge = (nano: number) =>
  internal(`a line item amount (${nano} nano-USD) exceeds 2^53 and cannot be rated exactly`)

/** Money from a number that is not a safe integer of nano-USD (json/money.ts). */
export const amountNotExact = (nanoUsd: number) =>
  internal(`an amount (${nanoUsd}) is not an exact whole number of nano-USD`)
