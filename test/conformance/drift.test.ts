// Each deliberately drifted server (a proxy in front of the mock changing exactly one behaviour)
// is caught by the probes that name its rule, and by no other probe.
import t from 'tap'
import { allProbes, runConformance } from '../../server/conformance/run.js'
import { startMockServer, type MockServer } from '../../server/index.js'
import { startDriftProxy, type Drift } from './drift-proxy.js'

const NOW = '2026-11-25T00:00:00Z'
const DAY_MS = 86_400_000

let mock: MockServer
t.before(async () => {
  mock = await startMockServer({ now: NOW, validateResponses: true })
})

const ORDER = allProbes().map(p => p.id)
/** The probes expected to differ, in report order: `ids`, and the PST probe while the mock accepts PST. */
const differing = (ids: readonly string[]) => ORDER.filter(id => ids.includes(id))
t.teardown(() => mock.close())

async function probeThrough(drift: Drift, maxRequests = 200) {
  const proxy = await startDriftProxy(mock.url, drift)
  try {
    return await runConformance({
      target: proxy.url,
      apiKey: 'fw_mockAcmeProdEng01',
      account: 'acme-ai',
      days: 30,
      maxRequests,
      intervalMs: 0,
      nowMs: Date.parse(NOW),
    })
  } finally {
    await proxy.close()
  }
}

const withResult = (probes: { id: string; result: string }[], result: string) =>
  probes.filter(p => p.result === result).map(p => p.id)

/** The int64 fields of the three operations' answers (written out here, not read from the document). */
const INT64_FIELDS = new Set([
  'promptTokens',
  'completionTokens',
  'cachedPromptTokens',
  'uncachedPromptTokens',
  'acceleratorSeconds',
  'tokens',
  'units',
])
function int64AsNumbers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(int64AsNumbers)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      INT64_FIELDS.has(k) && typeof v === 'string' ? Number(v) : int64AsNumbers(v),
    ]),
  )
}

// The probes' IANA names (Area/Location, or UTC) that Intl knows; the abbreviation PST is left for
// the mock to judge (Intl knows it, the real API does not).
const isZone = (zone: string) => {
  if (zone !== 'UTC' && !zone.includes('/')) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** usageCosts:query's 200 answers, changed by `change` (the body as the mock sent it). */
const costs =
  (change: (body: CostsAnswer) => void): Drift['response'] =>
  (url, status, body) => {
    if (status === 200 && url.pathname.endsWith('/usageCosts:query')) change(body as CostsAnswer)
    return { status, body }
  }
interface CostsAnswer {
  rows: { dimensions: { startTime?: string; model?: string }; subtotal: { units: string; nanos: number } }[]
  subtotal: { units: string; nanos: number }
}
const nanosOf = (m: { units: string; nanos: number }) => BigInt(m.units) * 1_000_000_000n + BigInt(m.nanos)
const moneyOf = (n: bigint) => ({
  currencyCode: 'USD',
  units: String(n / 1_000_000_000n),
  nanos: Number(n % 1_000_000_000n),
})

const DRIFTS: { name: string; drift: Drift; differ: string[]; info?: string[] }[] = [
  {
    name: 'buckets on UTC days whatever the zone (a valid zone is still checked)',
    drift: {
      request: url => {
        const zone = url.searchParams.get('timezone')
        if (url.pathname.endsWith('/billingUsage') && zone && isZone(zone)) url.searchParams.set('timezone', 'UTC')
      },
    },
    differ: ['buckets.los-angeles-dst', 'buckets.kathmandu', 'buckets.kiritimati'],
  },
  {
    name: 'int64 values as JSON numbers',
    drift: { response: (_, status, body) => ({ status, body: status === 200 ? int64AsNumbers(body) : body }) },
    differ: ['shape.int64-strings'],
  },
  {
    name: 'a 500 where a 400 is due',
    drift: {
      response: (_, status, body) =>
        status === 400 ? { status: 500, body: { ...(body as object), code: 13 } } : { status, body },
    },
    differ: [
      'errors.missing-start',
      'errors.start-not-before-end',
      'errors.window-over-31-days',
      'errors.unknown-timezone',
      'errors.zone-abbreviation',
      'errors.unknown-group-by',
      'errors.unknown-usage-type',
      'errors.repeated-singular',
      'costs.hour-with-day',
      'costs.three-dimensions',
    ],
    // Its 400 and code 3 are ours: a 500 is reported, not failed.
    info: ['costs.window-over-31-days'],
  },
  {
    name: 'an empty accounts list',
    drift: {
      response: (url, status, body) =>
        url.pathname === '/v1/accounts' && status === 200
          ? { status, body: { accounts: [], totalSize: 0 } }
          : { status, body },
    },
    differ: ['accounts.list-and-get'],
  },
  {
    name: "usageCosts subtotal is the page's own (the sum of its rows), not the query's",
    drift: {
      response: costs(body => (body.subtotal = moneyOf(body.rows.reduce((s, r) => s + nanosOf(r.subtotal), 0n)))),
    },
    differ: ['costs.subtotal-every-page'],
  },
  {
    name: 'usageCosts subtotal one nano more than its rows',
    drift: { response: costs(body => (body.subtotal = moneyOf(nanosOf(body.subtotal) + 1n))) },
    differ: [],
    // Each part of the split window is a nano over too: 2 nanos over the whole's 1.
    info: ['costs.rows-sum-to-subtotal', 'costs.split-window', 'costs.subtotal-of-billing-usage'],
  },
  {
    name: 'usageCosts HOUR rows of 05:00Z left out',
    drift: {
      response: costs(body => (body.rows = body.rows.filter(r => !r.dimensions.startTime?.endsWith('T05:00:00Z')))),
    },
    differ: [],
    info: ['costs.hours-sum-to-days'],
  },
  {
    name: 'usageCosts models under another name',
    drift: {
      response: costs(body => {
        for (const r of body.rows) if (r.dimensions.model) r.dimensions.model = `${r.dimensions.model}-renamed`
      }),
    },
    differ: [],
    info: ['costs.models-of-billing-usage'],
  },
  {
    name: 'end time inclusive (records at endTime are counted; validation unchanged)',
    drift: {
      request: url => {
        const start = Date.parse(url.searchParams.get('startTime') ?? '')
        const end = Date.parse(url.searchParams.get('endTime') ?? '')
        // Only valid windows are widened: the drift is in which records count, not in validation.
        if (start < end && end + 1 - start <= 31 * DAY_MS)
          url.searchParams.set('endTime', new Date(end + 1).toISOString())
      },
    },
    differ: ['additivity.split-window'],
  },
]

for (const { name, drift, differ, info = [] } of DRIFTS)
  t.test(`drift: ${name}`, async t => {
    const report = await probeThrough(drift)
    t.same(withResult(report.probes, 'differs'), differing(differ), 'exactly the probes naming the rule differ')
    t.same(withResult(report.probes, 'n/a'), [], 'none is left without data')
    t.same(withResult(report.probes, 'info'), differing(info), 'exactly the [ours] probes naming the rule inform')
    t.equal(report.totals.differ, differing(differ).length)
  })

t.test('the proxy itself changes nothing: through a drift that does nothing, every probe passes', async t => {
  const report = await probeThrough({})
  t.same(withResult(report.probes, 'differs'), differing([]))
  t.equal(report.totals.passed, ORDER.length - differing([]).length)
})

t.test(
  'a 429 with Retry-After is waited out and asked again: the answers, and so the results, are unchanged',
  async t => {
    let count = 0
    const refused: string[] = []
    const report = await probeThrough({
      response: (url, status, body) => {
        count++
        // The proxy replaces the 3rd and 15th answers by a 429.
        if (count !== 3 && count !== 15) return { status, body }
        refused.push(url.pathname)
        return {
          status: 429,
          body: { code: 8, message: 'slow down', details: [] },
          headers: { 'retry-after': count === 3 ? '1' : '0' },
        }
      },
    })
    t.equal(refused.length, 2)
    t.same(withResult(report.probes, 'differs'), differing([]), 'every probe passes')
    t.equal(report.totals.passed, ORDER.length - differing([]).length)
    t.equal(report.requestsSent, count, 'each refusal was followed by a retry, within the budget')
  },
)

t.test('the budget holds: with --max-requests 12 the probes past it say so', async t => {
  const report = await probeThrough({}, 12)
  t.equal(report.requestsSent, 12)
  t.same(withResult(report.probes, 'differs'), differing([]))
  t.equal(
    report.probes.find(p => p.id === 'additivity.split-window')?.summary,
    'the request budget (--max-requests 12) is spent',
  )
  t.equal(
    report.probes.find(p => p.id === 'filters.one-value')?.summary,
    'there is no unfiltered answer to compare with (see filters.applied)',
  )
})
