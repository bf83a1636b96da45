// What x-mock-explain says, from the parsed query alone, and its header-safe JSON.
import t from 'tap'
import { explainSummary, explainUsage, headerJson, rowsOf } from '../../server/usage/explain.js'
import { parseUsageQuery } from '../../server/usage/query.js'
import { parseSummaryQuery } from '../../server/usage/summary.js'

t.test('billingUsage: the resolved window, zone, buckets, groupings and filters', async t => {
  const { query } = parseUsageQuery({
    start_time: '2026-03-07T08:00:00Z',
    endTime: '2026-03-10T07:00:00Z',
    timezone: 'America/Los_Angeles',
    usageType: 'DEDICATED_DEPLOYMENT',
    filter: { accelerator_type: { values: ['NVIDIA_H100_80GB'] } },
  })
  t.same(explainUsage(query, Date.parse('2026-04-01T00:00:00Z')), {
    now: '2026-04-01T00:00:00Z',
    window: { startTime: '2026-03-07T08:00:00Z', endTime: '2026-03-10T07:00:00Z' },
    timezone: 'America/Los_Angeles',
    // March 7, 8 (23 hours) and 9, in Los Angeles
    buckets: 3,
    streams: ['dedicated'],
    groupBy: { dedicated: ['deployment_name', 'accelerator_type'] },
    filters: { accelerator_type: ['NVIDIA_H100_80GB'] },
  })
  t.equal(explainUsage(query, 0, false).filters, 'ignored (FILTERS=ignore)')
})

t.test('the summary: whole UTC days and each stream summary grouping', async t => {
  const { query } = parseSummaryQuery({ startTime: '2025-10-05T13:00:00Z', endTime: '2025-10-07T23:00:00Z' })
  t.match(explainSummary(query, 0), {
    window: { startTime: '2025-10-05T00:00:00Z', endTime: '2025-10-07T00:00:00Z' },
    timezone: 'UTC',
    buckets: 2,
    groupBy: {
      serverless: ['model_name'],
      dedicated: ['accelerator_type'],
      training: ['job_type', 'base_model', 'accelerator_type'],
    },
  })
})

t.test('rows of any answer; JSON that a header can carry', async t => {
  t.equal(rowsOf({ serverlessCosts: [1, 2], dedicatedCosts: [], trainingCosts: [3] }), 3)
  t.equal(
    rowsOf({ lineItems: [1, 2], usageBuckets: [{ lineItems: [1, 2] }] }),
    2,
    'line items of the range, not of each day',
  )
  t.equal(rowsOf({ serverless: { model_name: ['a', 'b'], api_key_id: ['k'] }, dedicated: {} }), 3)
  t.equal(headerJson({ team: 'clé', note: 'a\nb' }), '{"team":"cl\\u00e9","note":"a\\nb"}')
  t.equal(headerJson({ emoji: '🙂' }), '{"emoji":"\\ud83d\\ude42"}')
  t.same(JSON.parse(headerJson({ emoji: '🙂' })), { emoji: '🙂' }, 'and reads back as written')
})
