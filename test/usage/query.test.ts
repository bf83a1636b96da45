import qs from 'qs'
import t from 'tap'
import { ApiError } from '../../server/errors.js'
import { QS_OPTIONS } from '../../server/http/querystring.js'
import { dedicated } from '../../server/streams/dedicated.js'
import { serverless } from '../../server/streams/serverless.js'
import { training } from '../../server/streams/training.js'
import { planFor } from '../../server/usage/plan.js'
import { parseUsageQuery, type ParseOptions } from '../../server/usage/query.js'

const S = 'startTime=2026-05-01T00:00:00Z&endTime=2026-05-02T00:00:00Z'
const parse = (query: string, options?: ParseOptions) => parseUsageQuery(qs.parse(query, QS_OPTIONS), options)
function errorOf(query: string, options?: ParseOptions): string {
  try {
    parse(query, options)
  } catch (err) {
    if (err instanceof ApiError && err.code === 3) return err.message
    throw err
  }
  return 'no error'
}

t.test('camelCase and snake_case spellings mean the same thing', async t => {
  const a = parse(`${S}&usageType=SERVERLESS&groupBy=model_name&groupBy=api_key_id`).query
  const b = parse(
    'start_time=2026-05-01T00:00:00Z&end_time=2026-05-02T00:00:00Z&usage_type=SERVERLESS&group_by=model_name&group_by=api_key_id',
  ).query
  t.same(a, b)
  t.equal(a.usageType, 'SERVERLESS')
  t.same(a.groupBy, ['model_name', 'api_key_id'])
  t.equal(a.fromMs, Date.UTC(2026, 4, 1))
  t.equal(a.toMs, Date.UTC(2026, 4, 2))
})

t.test('usageType accepts the enum number as a string', async t => {
  t.equal(parse(`${S}&usageType=0`).query.usageType, 'USAGE_TYPE_UNSPECIFIED')
  t.equal(parse(`${S}&usageType=1`).query.usageType, 'SERVERLESS')
  t.equal(parse(`${S}&usageType=2`).query.usageType, 'DEDICATED_DEPLOYMENT')
  t.equal(parse(`${S}&usageType=3`).query.usageType, 'TRAINING')
  t.same(
    parse(`${S}&usageType=3`).query.streams.map(s => s.kind),
    ['training'],
  )
  t.same(
    parse(S).query.streams.map(s => s.kind),
    ['serverless', 'dedicated', 'training'],
  )
})

t.test('validation errors, each naming the parameter and the bad value', async t => {
  const cases: [string, string][] = [
    ['endTime=2026-05-02T00:00:00Z', 'start_time is required'],
    ['startTime=2026-05-01T00:00:00Z', 'end_time is required'],
    ['startTime=&endTime=2026-05-02T00:00:00Z', 'start_time is required'],
    [
      'startTime=2026-05-01&endTime=2026-05-02T00:00:00Z',
      'invalid start_time "2026-05-01": must be an RFC 3339 timestamp such as 2026-05-01T00:00:00Z',
    ],
    [
      'startTime=2026-05-01T00:00:00Z&endTime=tomorrow',
      'invalid end_time "tomorrow": must be an RFC 3339 timestamp such as 2026-05-01T00:00:00Z',
    ],
    [
      `${S}&usageType=GPU`,
      'invalid usage_type "GPU": must be one of USAGE_TYPE_UNSPECIFIED, SERVERLESS, DEDICATED_DEPLOYMENT, TRAINING or 0-3',
    ],
    [
      `${S}&usageType=4`,
      'invalid usage_type "4": must be one of USAGE_TYPE_UNSPECIFIED, SERVERLESS, DEDICATED_DEPLOYMENT, TRAINING or 0-3',
    ],
    ['startTime=2026-05-01T00:00:00Z&endTime=2026-05-01T00:00:00Z', 'start_time must be before end_time'],
    ['startTime=2026-05-02T00:00:00Z&endTime=2026-05-01T00:00:00Z', 'start_time must be before end_time'],
    [
      'startTime=2026-05-01T00:00:00Z&endTime=2026-06-01T00:00:01Z',
      'end_time must not be more than 31 days after start_time',
    ],
    [
      `${S}&timezone=Mars/Olympus`,
      'invalid timezone "Mars/Olympus": must be an IANA time zone such as America/Los_Angeles',
    ],
    [`${S}&timezone=%2B05:00`, 'invalid timezone "+05:00": must be an IANA time zone such as America/Los_Angeles'],
    [
      `${S}&groupBy=colour`,
      'unknown group_by dimension "colour"; valid dimensions are model_name, api_key_id, api_key_name, annotations.team, annotations.project, annotations.environment, deployment_name, accelerator_type, job_id, job_type, usage_type, base_model',
    ],
    [
      `${S}&groupBy=model_name,api_key_id`,
      'unknown group_by dimension "model_name,api_key_id"; valid dimensions are model_name, api_key_id, api_key_name, annotations.team, annotations.project, annotations.environment, deployment_name, accelerator_type, job_id, job_type, usage_type, base_model',
    ],
    [
      `${S}&filter[colour][values]=red`,
      'unknown filter dimension "colour"; valid dimensions are model_name, api_key_id, api_key_name, annotations.team, annotations.project, annotations.environment, deployment_name, accelerator_type, job_id, job_type, usage_type, base_model',
    ],
    [
      `${S}&usageType=DEDICATED_DEPLOYMENT&groupBy=model_name`,
      'group_by dimension "model_name" does not apply to usage_type DEDICATED_DEPLOYMENT',
    ],
    [
      `${S}&usageType=SERVERLESS&filter[job_id][values]=x`,
      'filter dimension "job_id" does not apply to usage_type SERVERLESS',
    ],
    [
      `${S}&startTime=2026-05-01T01:00:00Z`,
      'too many values for field "start_time": 2026-05-01T00:00:00Z, 2026-05-01T01:00:00Z',
    ],
    [
      `${S}&start_time=2026-05-01T01:00:00Z`,
      'too many values for field "start_time": 2026-05-01T00:00:00Z, 2026-05-01T01:00:00Z',
    ],
    [`${S}&filter[model_name]=x`, 'invalid filter[model_name]: expected filter[model_name][values]=<value>'],
    [
      `${S}&filter[model_name][value]=x`,
      'invalid filter[model_name]: unknown field "value", expected filter[model_name][values]=<value>',
    ],
    [`${S}&filter=x`, 'invalid filter: expected filter[<dimension>][values]=<value>'],
    [`${S}&groupBy[a]=b`, 'invalid groupBy: expected groupBy=<value>, got a nested parameter'],
  ]
  for (const [query, message] of cases) t.equal(errorOf(query), message, query)
})

t.test('the checks run in the documented order', async t => {
  // Each query breaks every rule from a step onwards; the earliest step must win.
  t.equal(errorOf('endTime=x&usageType=GPU&timezone=Nowhere&groupBy=colour'), 'start_time is required')
  t.equal(
    errorOf('startTime=x&endTime=y&usageType=GPU'),
    'invalid start_time "x": must be an RFC 3339 timestamp such as 2026-05-01T00:00:00Z',
  )
  t.match(errorOf('startTime=2026-05-02T00:00:00Z&endTime=2026-05-01T00:00:00Z&usageType=GPU'), /^invalid usage_type/)
  t.equal(
    errorOf('startTime=2026-05-02T00:00:00Z&endTime=2026-05-01T00:00:00Z&timezone=Nowhere'),
    'start_time must be before end_time',
  )
  t.equal(
    errorOf('startTime=2026-01-01T00:00:00Z&endTime=2026-03-01T00:00:00Z&timezone=Nowhere'),
    'end_time must not be more than 31 days after start_time',
  )
  t.match(errorOf(`${S}&timezone=Nowhere&groupBy=colour`), /^invalid timezone/)
  t.match(errorOf(`${S}&groupBy=colour&filter[shade][values]=x`), /^unknown group_by dimension "colour"/)
  t.match(
    errorOf(`${S}&usageType=TRAINING&groupBy=model_name&filter[shade][values]=x`),
    /^unknown filter dimension "shade"/,
  )
})

t.test('a window of exactly 31 days is accepted, one more second is not', async t => {
  t.equal(errorOf('startTime=2026-05-01T00:00:00Z&endTime=2026-06-01T00:00:00Z'), 'no error')
  t.equal(
    errorOf('startTime=2026-05-01T00:00:00Z&endTime=2026-06-01T00:00:01Z'),
    'end_time must not be more than 31 days after start_time',
  )
  // with offsets, the rule is about elapsed time, not calendar dates
  t.equal(errorOf('startTime=2026-05-01T00:00:00%2B02:00&endTime=2026-06-01T00:00:00%2B02:00'), 'no error')
  t.equal(
    errorOf('startTime=2026-05-01T00:00:00.000000001Z&endTime=2026-06-01T00:00:00.000000002Z'),
    'end_time must not be more than 31 days after start_time',
  )
})

t.test('an empty or absent timezone is UTC', async t => {
  t.equal(parse(S).query.timezone, 'UTC')
  t.equal(parse(`${S}&timezone=`).query.timezone, 'UTC')
  t.equal(parse(`${S}&timezone=Asia/Kathmandu`).query.timezone, 'Asia/Kathmandu')
})

t.test('duplicate groupBy values count once, first position kept', async t => {
  t.same(parse(`${S}&groupBy=api_key_id&groupBy=model_name&group_by=api_key_id`).query.groupBy, [
    'api_key_id',
    'model_name',
  ])
})

t.test('filter values: repeated, [] and indexed forms, dots kept literal, empty value allowed', async t => {
  const q = parse(
    `${S}&filter[model_name][values]=a&filter[model_name][values]=b&filter[annotations.team][values]=&filter[api_key_name][values][]=x&filter[job_id][values][1]=j2&filter[job_id][values][0]=j1`,
  ).query
  t.same(
    [...q.filters],
    [
      ['model_name', ['a', 'b']],
      ['annotations.team', ['']],
      ['api_key_name', ['x']],
      ['job_id', ['j1', 'j2']],
    ],
  )
})

t.test('unknown parameters are ignored and reported, or rejected in strict mode', async t => {
  t.same(parse(`${S}&pageSize=10&foo=bar`).ignored, ['pageSize', 'foo'])
  t.equal(errorOf(`${S}&pageSize=10`, { strictParams: true }), 'unknown query parameter "pageSize"')
})

t.test('with filters ignored (the live gateway today) no filter is parsed or applied', async t => {
  t.same([...parse(`${S}&filter[colour][values]=x`, { applyFilters: false }).query.filters], [])
})

t.test('per-stream plans: defaults only when groupBy is empty, other streams dimensions dropped', async t => {
  const none = parse(S).query
  t.same(planFor(none, serverless).groupBy, ['model_name'])
  t.same(planFor(none, dedicated).groupBy, ['deployment_name', 'accelerator_type'])
  t.same(planFor(none, training).groupBy, ['job_id', 'job_type', 'usage_type', 'accelerator_type', 'base_model'])
  const q = parse(
    `${S}&groupBy=model_name&groupBy=accelerator_type&groupBy=annotations.team&filter[api_key_name][values]=k`,
  ).query
  t.same(planFor(q, serverless).groupBy, ['model_name', 'annotations.team'])
  t.same(planFor(q, dedicated).groupBy, ['accelerator_type', 'annotations.team'])
  t.same(planFor(q, training).groupBy, ['accelerator_type', 'annotations.team'])
  t.same(planFor(q, serverless).filters, [['api_key_name', new Set(['k'])]])
  t.same(planFor(q, dedicated).filters, [])
  const onlyModel = parse(`${S}&groupBy=model_name`).query
  t.same(planFor(onlyModel, dedicated).groupBy, [], 'no dimension left: daily totals')
})

t.test('parameters named like Object.prototype members are unknown parameters', async t => {
  t.same(parse(`${S}&constructor=1&toString=2&hasOwnProperty=3`).ignored, ['constructor', 'toString', 'hasOwnProperty'])
  t.match(errorOf(`${S}&groupBy=constructor`), /^unknown group_by dimension "constructor"/)
})
