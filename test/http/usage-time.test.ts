// Time rules of billingUsage over hand-written records: the window's edges, clipping, DST days
// and odd offsets. Expected rows are written out by hand.
import t from 'tap'
import { dedicatedRecord, fixtureApp, serverlessRecord, usage } from '../helpers.js'

/** Dedicated rows reduced to [startTime, endTime, acceleratorSeconds]. */
async function dedicatedRows(records: object[], query: string) {
  const app = fixtureApp(records)
  const res = await usage(app, `usageType=DEDICATED_DEPLOYMENT&groupBy=accelerator_type&${query}`)
  t.equal(res.status, 200, query)
  return (res.body.dedicatedCosts as Record<string, string>[]).map(r => [r.startTime, r.endTime, r.acceleratorSeconds])
}

t.test('a record exactly at startTime is counted, one exactly at endTime is not', async t => {
  const rows = await dedicatedRows(
    [
      dedicatedRecord('2026-04-30T23:59:59.999Z', { acceleratorSeconds: 1 }),
      dedicatedRecord('2026-05-01T00:00:00Z', { acceleratorSeconds: 10 }),
      dedicatedRecord('2026-05-01T23:59:59.999Z', { acceleratorSeconds: 100 }),
      dedicatedRecord('2026-05-02T00:00:00Z', { acceleratorSeconds: 1000 }),
    ],
    'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z',
  )
  t.same(rows, [['2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z', '110']])
})

t.test('bounds with offsets and fractions select the same instants', async t => {
  const records = [
    dedicatedRecord('2026-05-01T00:00:00Z', { acceleratorSeconds: 10 }),
    dedicatedRecord('2026-05-01T00:00:00.001Z', { acceleratorSeconds: 5 }),
  ]
  // 02:00+02:00 is 00:00Z; a start 1 ns after 00:00Z excludes the record at 00:00Z but not the one at .001
  t.same(await dedicatedRows(records, 'startTime=2026-05-01T02:00:00%2B02:00&endTime=2026-05-01T01:00:00Z'), [
    ['2026-05-01T00:00:00Z', '2026-05-01T01:00:00Z', '15'],
  ])
  t.same(await dedicatedRows(records, 'startTime=2026-05-01T00:00:00.000000001Z&endTime=2026-05-01T01:00:00Z'), [
    ['2026-05-01T00:00:00Z', '2026-05-01T01:00:00Z', '5'],
  ])
})

t.test('a partially covered first and last day are clipped to the window; empty days have no row', async t => {
  const rows = await dedicatedRows(
    [
      dedicatedRecord('2026-05-01T09:00:00Z', { acceleratorSeconds: 1 }),
      dedicatedRecord('2026-05-01T10:00:00Z', { acceleratorSeconds: 20 }),
      dedicatedRecord('2026-05-03T05:00:00Z', { acceleratorSeconds: 300 }),
      dedicatedRecord('2026-05-03T06:00:00Z', { acceleratorSeconds: 4000 }),
    ],
    'startTime=2026-05-01T10:00:00Z&endTime=2026-05-03T06:00:00Z',
  )
  t.same(rows, [
    ['2026-05-01T10:00:00Z', '2026-05-02T00:00:00Z', '20'],
    ['2026-05-03T00:00:00Z', '2026-05-03T06:00:00Z', '300'],
  ])
})

t.test('America/Los_Angeles across 2026-03-08: the DST day is 23 hours', async t => {
  const rows = await dedicatedRows(
    [
      dedicatedRecord('2026-03-08T07:59:59Z', { acceleratorSeconds: 1 }), // Mar 7 23:59:59 PST
      dedicatedRecord('2026-03-08T08:00:00Z', { acceleratorSeconds: 10 }), // Mar 8 00:00 PST
      dedicatedRecord('2026-03-09T06:59:59Z', { acceleratorSeconds: 100 }), // Mar 8 23:59:59 PDT
      dedicatedRecord('2026-03-09T07:00:00Z', { acceleratorSeconds: 1000 }), // Mar 9 00:00 PDT
    ],
    'startTime=2026-03-07T08:00:00Z&endTime=2026-03-10T07:00:00Z&timezone=America/Los_Angeles',
  )
  t.same(rows, [
    ['2026-03-07T08:00:00Z', '2026-03-08T08:00:00Z', '1'],
    ['2026-03-08T08:00:00Z', '2026-03-09T07:00:00Z', '110'],
    ['2026-03-09T07:00:00Z', '2026-03-10T07:00:00Z', '1000'],
  ])
})

t.test('America/Los_Angeles across 2026-11-01: the DST day is 25 hours', async t => {
  const rows = await dedicatedRows(
    [
      dedicatedRecord('2026-11-01T06:59:59Z', { acceleratorSeconds: 1 }), // Oct 31 23:59:59 PDT
      dedicatedRecord('2026-11-01T07:00:00Z', { acceleratorSeconds: 10 }), // Nov 1 00:00 PDT
      dedicatedRecord('2026-11-02T07:59:59Z', { acceleratorSeconds: 100 }), // Nov 1 23:59:59 PST
      dedicatedRecord('2026-11-02T08:00:00Z', { acceleratorSeconds: 1000 }), // Nov 2 00:00 PST
    ],
    'startTime=2026-10-31T07:00:00Z&endTime=2026-11-03T08:00:00Z&timezone=America/Los_Angeles',
  )
  t.same(rows, [
    ['2026-10-31T07:00:00Z', '2026-11-01T07:00:00Z', '1'],
    ['2026-11-01T07:00:00Z', '2026-11-02T08:00:00Z', '110'],
    ['2026-11-02T08:00:00Z', '2026-11-03T08:00:00Z', '1000'],
  ])
})

t.test('Asia/Kathmandu (+05:45): local days start at 18:15Z', async t => {
  const rows = await dedicatedRows(
    [
      dedicatedRecord('2026-05-01T18:14:59Z', { acceleratorSeconds: 1 }),
      dedicatedRecord('2026-05-01T18:15:00Z', { acceleratorSeconds: 10 }),
      dedicatedRecord('2026-05-02T23:00:00Z', { acceleratorSeconds: 100 }),
    ],
    'startTime=2026-05-01T00:00:00Z&endTime=2026-05-03T00:00:00Z&timezone=Asia/Kathmandu',
  )
  t.same(rows, [
    ['2026-05-01T00:00:00Z', '2026-05-01T18:15:00Z', '1'],
    ['2026-05-01T18:15:00Z', '2026-05-02T18:15:00Z', '10'],
    ['2026-05-02T18:15:00Z', '2026-05-03T00:00:00Z', '100'],
  ])
})

t.test('an empty timezone means UTC; an invalid one is a 400 naming it', async t => {
  const records = [dedicatedRecord('2026-05-01T05:00:00Z', { acceleratorSeconds: 7 })]
  const window = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'
  t.same(await dedicatedRows(records, `${window}&timezone=`), [['2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z', '7']])
  const res = await usage(fixtureApp(records), `${window}&timezone=Europe/Atlantis`)
  t.equal(res.status, 400)
  t.same(res.body, {
    code: 3,
    message: 'invalid timezone "Europe/Atlantis": must be an IANA time zone such as America/Los_Angeles',
    details: [],
  })
})

t.test('totals do not depend on the timezone', async t => {
  const records = [
    serverlessRecord('2026-05-01T03:00:00Z', { promptTokens: 5 }),
    serverlessRecord('2026-05-01T20:00:00Z', { promptTokens: 7 }),
    serverlessRecord('2026-05-02T11:00:00Z', { promptTokens: 11 }),
  ]
  const app = fixtureApp(records)
  for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Kathmandu', 'Pacific/Kiritimati']) {
    const res = await usage(
      app,
      `startTime=2026-05-01T00:00:00Z&endTime=2026-05-03T00:00:00Z&usageType=SERVERLESS&timezone=${tz}`,
    )
    const total = (res.body.serverlessCosts as { promptTokens: string }[]).reduce(
      (s, r) => s + Number(r.promptTokens),
      0,
    )
    t.equal(total, 23, tz)
  }
})

t.test('nothing at or after now exists', async t => {
  const records = [
    dedicatedRecord('2026-05-01T09:59:59Z', { acceleratorSeconds: 1 }),
    dedicatedRecord('2026-05-01T10:00:00Z', { acceleratorSeconds: 10 }),
  ]
  const app = fixtureApp(records, { now: Date.parse('2026-05-01T10:00:00Z') })
  const res = await usage(
    app,
    'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z&usageType=DEDICATED_DEPLOYMENT',
  )
  t.same(
    res.body.dedicatedCosts.map((r: { acceleratorSeconds: string }) => r.acceleratorSeconds),
    ['1'],
  )
})

t.test('zone spellings: the same answer for each on every Node runtime', async t => {
  // 3600 s at 01:00Z and 60 s at 20:00Z on 2026-05-01; the local midnight of each zone, in UTC,
  // written out by hand: Kolkata +05:30 (18:30Z), Kathmandu +05:45 (18:15Z), Los Angeles in May
  // UTC-7 (07:00Z), Etc/GMT+5 is UTC-5 (05:00Z), EST5EDT is daylight time in May, UTC-4 (04:00Z).
  const records = [
    dedicatedRecord('2026-05-01T01:00:00Z', { acceleratorSeconds: 3600 }),
    dedicatedRecord('2026-05-01T20:00:00Z', { acceleratorSeconds: 60 }),
  ]
  const window = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'
  const split = (utcMidnight: string) => [
    ['2026-05-01T00:00:00Z', `2026-05-01T${utcMidnight}Z`, '3600'],
    [`2026-05-01T${utcMidnight}Z`, '2026-05-02T00:00:00Z', '60'],
  ]
  const accepted: [string, string[][]][] = [
    ['Asia/Calcutta', split('18:30:00')],
    ['Asia/Kathmandu', split('18:15:00')],
    ['US/Pacific', split('07:00:00')],
    ['UTC', [['2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z', '3660']]],
    ['Etc/GMT%2B5', split('05:00:00')],
    ['EST5EDT', split('04:00:00')],
  ]
  for (const [zone, rows] of accepted) t.same(await dedicatedRows(records, `${window}&timezone=${zone}`), rows, zone)
  // Not IANA names: ICU's legacy ids (PST would answer Los Angeles days, BST Dhaka's) and
  // offsets (Node 24's ICU would take `+05:00`, Node 20's would not).
  for (const zone of ['PST', 'BST', 'IST', 'JST', 'CST', 'SST', 'ECT', '+05:00', 'UTC+5', 'GMT+5', '-0800', '+05']) {
    const res = await usage(fixtureApp(records), `${window}&timezone=${encodeURIComponent(zone)}`)
    t.same(
      [res.status, res.body.code, res.body.message],
      [400, 3, `invalid timezone ${JSON.stringify(zone)}: must be an IANA time zone such as America/Los_Angeles`],
      zone,
    )
  }
})

t.test('a zone in another letter case is refused, and the error names the listed spelling', async t => {
  const window = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'
  const hint = (zone: string) => ` (did you mean ${JSON.stringify(zone)}?)`
  const cases: [string, string][] = [
    ['asia/kolkata', 'Asia/Kolkata'],
    ['utc', 'UTC'],
    ['Europe/Londn', 'Europe/London'],
    ['America/Los_Angles', 'America/Los_Angeles'],
  ]
  for (const [typed, meant] of cases) {
    const res = await usage(fixtureApp([]), `${window}&timezone=${typed}`)
    t.same(
      [res.status, res.body.code, res.body.message],
      [400, 3, `invalid timezone "${typed}": must be an IANA time zone such as America/Los_Angeles${hint(meant)}`],
      typed,
    )
  }
})
