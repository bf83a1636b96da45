// Invalid requests have exact outcomes: status, gRPC code and grpc-gateway's envelope [gw], and
// a message. Messages of contract 1.3 are ours (the rules are [real], the words are not), so a
// different wording only informs; grpc-gateway's own message for a repeated field is compared.

import { DAY_MS, formatUtc } from '../../time.js'
import { MAX_WINDOW_MS } from '../../usage/window.js'
import type { Credentials } from '../client.js'
import type { Tag } from '../finding.js'
import { param, quietWindow, windowParams, type Plan } from '../plan.js'
import { describeAnswer, excerpt, shown, type Operation, type Param, type Probe, type Scope } from '../probe.js'

/** The expected message: exactly `text`, or what `text` describes when there is a test. */
interface MessageRule {
  tag: Tag
  text: string
  test?: (message: string) => boolean
}

interface Expected {
  status: number
  code: number
  message?: (params: Param[]) => MessageRule
}

interface ErrorCase {
  id: string
  rule: string
  tag: Tag
  /** billingUsage unless said. */
  operation?: Operation
  request(plan: Plan): { params: Param[]; credentials?: Credentials; account?: string; body?: unknown }
  expected: Expected
}

/** Another account's id: no such account needs to exist, the answer must be the same [contract 1.1]. */
export const OTHER_ACCOUNT = 'conformance-probe-other-account'
const BAD_ZONE = 'Mars/Olympus_Mons'
/** An abbreviation, not a name of the IANA database; ICU knows it as a legacy id (Los Angeles). */
const ABBREVIATED_ZONE = 'PST'
const BAD_DIMENSION = 'conformance_probe_dimension'
const BAD_USAGE_TYPE = 'CONFORMANCE_PROBE'

const invalid = (message: (params: Param[]) => MessageRule): Expected => ({ status: 400, code: 3, message })
const names =
  (...parts: string[]) =>
  (): MessageRule => ({
    tag: 'ours',
    text: `a message naming ${parts.map(p => JSON.stringify(p)).join(' and ')}`,
    test: m => parts.every(p => m.includes(p)),
  })
const exactly = (tag: Tag, text: string) => (): MessageRule => ({ tag, text: JSON.stringify(text) })

const window = (plan: Plan) => windowParams(quietWindow(plan))

const CASES: ErrorCase[] = [
  {
    id: 'errors.missing-start',
    rule: 'startTime is required: 400, code 3',
    tag: 'real',
    request: plan => ({ params: [window(plan)[1]] }),
    expected: invalid(exactly('ours', 'start_time is required')),
  },
  {
    id: 'errors.start-not-before-end',
    rule: 'startTime must be strictly before endTime: 400, code 3',
    tag: 'real',
    request: plan => {
      const end = window(plan)[1]
      return { params: [param('startTime', end[1]), end] }
    },
    expected: invalid(exactly('ours', 'start_time must be before end_time')),
  },
  {
    id: 'errors.window-over-31-days',
    rule: 'endTime at most 31 days after startTime: 31 days plus one second is 400, code 3',
    tag: 'real',
    request: plan => {
      const end = quietWindow(plan).endMs
      return { params: [param('startTime', formatUtc(end - MAX_WINDOW_MS - 1000)), param('endTime', formatUtc(end))] }
    },
    expected: invalid(exactly('ours', 'end_time must not be more than 31 days after start_time')),
  },
  {
    id: 'errors.unknown-timezone',
    rule: 'timezone must be an IANA zone: 400, code 3',
    tag: 'real',
    request: plan => ({ params: [...window(plan), param('timezone', BAD_ZONE)] }),
    expected: invalid(names(BAD_ZONE)),
  },
  {
    id: 'errors.zone-abbreviation',
    rule: 'timezone PST, an abbreviation and no IANA name (ICU alone knows it): 400, code 3',
    tag: 'real',
    request: plan => ({ params: [...window(plan), param('timezone', ABBREVIATED_ZONE)] }),
    expected: invalid(names(ABBREVIATED_ZONE)),
  },
  {
    id: 'errors.unknown-group-by',
    rule: 'a groupBy dimension of no stream: 400, code 3',
    tag: 'real',
    request: plan => ({ params: [...window(plan), param('groupBy', BAD_DIMENSION)] }),
    expected: invalid(names(BAD_DIMENSION)),
  },
  {
    id: 'errors.unknown-usage-type',
    rule: 'usageType outside the enum: 400, code 3',
    tag: 'real',
    request: plan => ({ params: [...window(plan), param('usageType', BAD_USAGE_TYPE)] }),
    expected: invalid(names('usage_type', BAD_USAGE_TYPE)),
  },
  {
    id: 'errors.repeated-singular',
    rule: "a singular parameter given twice: 400, code 3, grpc-gateway's message",
    tag: 'gw',
    request: plan => {
      const [start, end] = window(plan)
      const later = formatUtc(quietWindow(plan).startMs + DAY_MS / 2)
      return { params: [start, param('startTime', later), end] }
    },
    // grpc-gateway (runtime/query.go): `too many values for field "start_time": a, b`
    expected: invalid(params => ({
      tag: 'gw',
      text: JSON.stringify(
        `too many values for field "start_time": ${params
          .filter(([n]) => n === 'startTime')
          .map(([, v]) => v)
          .join(', ')}`,
      ),
    })),
  },
  {
    id: 'auth.no-credentials',
    rule: 'no Authorization header: 401, code 16',
    tag: 'ours',
    request: plan => ({ params: window(plan), credentials: 'none' }),
    expected: { status: 401, code: 16 },
  },
  {
    id: 'auth.wrong-key',
    rule: 'a key nobody has: 401, code 16',
    tag: 'ours',
    request: plan => ({ params: window(plan), credentials: 'wrong-key' }),
    expected: { status: 401, code: 16 },
  },
  {
    id: 'auth.other-account',
    rule: "your key on another account's path: 403, code 7",
    tag: 'ours',
    request: plan => ({ params: window(plan), account: OTHER_ACCOUNT }),
    expected: { status: 403, code: 7 },
  },
]

/** A usageCosts:query body over the quiet window (no scope: SELF, which every key may use). */
const costsQuery = (span: { startMs: number; endMs: number }, groupBy: string[]) => ({
  params: [],
  body: { startTime: formatUtc(span.startMs), endTime: formatUtc(span.endMs), groupBy },
})

/**
 * usageCosts:query's validation [contract 2.1]: at most two dimensions [real]; HOUR and DAY
 * mutually exclusive ([client], as clients of the live API found it); at most 31 days [ours].
 */
const COST_CASES: ErrorCase[] = [
  {
    id: 'costs.hour-with-day',
    rule: 'usageCosts:query with groupBy HOUR and DAY: 400, code 3',
    tag: 'real',
    operation: 'usageCosts:query',
    request: plan => costsQuery(quietWindow(plan), ['HOUR', 'DAY']),
    expected: invalid(names('HOUR', 'DAY')),
  },
  {
    id: 'costs.three-dimensions',
    rule: 'usageCosts:query with three groupBy dimensions: 400, code 3',
    tag: 'real',
    operation: 'usageCosts:query',
    request: plan => costsQuery(quietWindow(plan), ['MODEL', 'USER', 'API_KEY']),
    expected: invalid(names('groupBy')),
  },
  {
    id: 'costs.window-over-31-days',
    rule: 'usageCosts:query over 31 days plus one second: 400, code 3',
    tag: 'ours',
    operation: 'usageCosts:query',
    request: plan => {
      const end = quietWindow(plan).endMs
      return costsQuery({ startMs: end - MAX_WINDOW_MS - 1000, endMs: end }, [])
    },
    expected: invalid(names('31 days')),
  },
]

async function runCase(c: ErrorCase, scope: Scope, plan: Plan): Promise<void> {
  const { params, credentials, account, body: sent } = c.request(plan)
  const exchange = await scope.get(c.operation ?? 'billingUsage', params, { credentials, account, body: sent })
  const { status, json, contentType } = exchange.answer
  const isObject = typeof json === 'object' && json !== null && !Array.isArray(json)
  const body: Record<string, unknown> = isObject ? (json as Record<string, unknown>) : {}
  const ok = status === c.expected.status
  scope.check(
    c.tag,
    'HTTP status',
    String(c.expected.status),
    ok ? String(status) : describeAnswer(exchange.answer),
    ok,
  )
  scope.check(c.tag, 'gRPC code', String(c.expected.code), shown(body.code), body.code === c.expected.code)
  const keys = Object.keys(body).sort().join(', ')
  const envelope =
    json !== undefined &&
    Number.isInteger(body.code) &&
    typeof body.message === 'string' &&
    Array.isArray(body.details) &&
    keys === 'code, details, message'
  scope.check(
    'gw',
    'error envelope',
    '{"code": <int>, "message": <string>, "details": []}',
    json === undefined ? `not JSON: ${excerpt(exchange.answer.text)}` : envelope ? `keys ${keys}` : shown(json),
    envelope,
  )
  scope.check(
    'gw',
    'Content-Type',
    'application/json',
    contentType || '(none)',
    /^application\/json\b/.test(contentType),
  )
  const message = c.expected.message?.(params)
  if (message) {
    const got = typeof body.message === 'string' ? body.message : ''
    const ok = message.test ? message.test(got) : JSON.stringify(got) === message.text
    scope.check(message.tag, 'message', message.text, JSON.stringify(got), ok)
  }
}

const probesOf = (cases: ErrorCase[]): Probe<Plan>[] =>
  cases.map(c => ({ id: c.id, rule: c.rule, tag: c.tag, run: (scope, plan) => runCase(c, scope, plan) }))

export const errorProbes = () => probesOf(CASES)
export const costErrorProbes = () => probesOf(COST_CASES)
