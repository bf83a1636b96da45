// Dedicated deployments: the row of an aggregate, its attributes from the group's latest record,
// and the summary's GPU-hours per accelerator type.
import t from 'tap'
import { dedicated, fillDedicated, type DedicatedRecord } from '../../server/streams/dedicated.js'
import { rowOf, aggregateOf, DAY, planOf } from './aggregates.js'
import { measure } from '../../server/streams/stream.js'
import { modelName } from '../fixture-records.js'

function record(fields: Partial<DedicatedRecord>): DedicatedRecord {
  return {
    kind: 'dedicated',
    account: 'test-co',
    time: Date.parse('2026-05-28T10:00:00Z'),
    annotations: { team: '', project: '', environment: '' },
    deployment: 'accounts/test-co/deployments/dep-a',
    acceleratorType: 'NVIDIA_H100_80GB',
    acceleratorSeconds: 0,
    baseModel: modelName('qwen3-8b'),
    placement: 'US_IOWA_1',
    usageType: 'DEDICATED_DEPLOYMENT_USAGE',
    ...fields,
  }
}

t.test('a row by the default grouping: the bare deployment id and attributes of the latest record', async t => {
  // the latest record of the group moved the deployment to another region and model
  const latest = record({ placement: 'EU_FRANKFURT_1', baseModel: modelName('kimi-k2p6') })
  const agg = aggregateOf({
    group: ['accounts/test-co/deployments/dep-a', 'NVIDIA_H100_80GB'],
    sums: [7200],
    latest,
  })
  t.same(rowOf(dedicated, agg, planOf(dedicated, ['deployment_name', 'accelerator_type'])), {
    startTime: DAY.startTime,
    endTime: DAY.endTime,
    usageType: 'DEDICATED_DEPLOYMENT_USAGE',
    acceleratorSeconds: '7200',
    group: { deployment_name: 'accounts/test-co/deployments/dep-a', accelerator_type: 'NVIDIA_H100_80GB' },
    deploymentId: 'dep-a',
    baseModel: modelName('kimi-k2p6'),
    placement: 'EU_FRANKFURT_1',
    acceleratorType: 'NVIDIA_H100_80GB',
  })
})

t.test('an unknown placement is REGION_UNSPECIFIED', async t => {
  const agg = aggregateOf({
    group: ['accounts/test-co/deployments/dep-b'],
    sums: [1],
    latest: record({ deployment: 'accounts/test-co/deployments/dep-b', placement: '' }),
  })
  t.has(rowOf(dedicated, agg, planOf(dedicated, ['deployment_name'])), {
    deploymentId: 'dep-b',
    placement: 'REGION_UNSPECIFIED',
  })
})

t.test("the deployment's attributes appear only with deployment_name, the accelerator only with its own", async t => {
  const latest = record({})
  const byAccelerator = rowOf(
    dedicated,
    aggregateOf({ group: ['NVIDIA_H100_80GB'], sums: [3600], latest }),
    planOf(dedicated, ['accelerator_type']),
  )
  t.same(byAccelerator, {
    startTime: DAY.startTime,
    endTime: DAY.endTime,
    usageType: 'DEDICATED_DEPLOYMENT_USAGE',
    acceleratorSeconds: '3600',
    group: { accelerator_type: 'NVIDIA_H100_80GB' },
    acceleratorType: 'NVIDIA_H100_80GB',
  })
  const byTeam = rowOf(
    dedicated,
    aggregateOf({ group: ['search'], sums: [3600], latest }),
    planOf(dedicated, ['annotations.team']),
  )
  t.same(Object.keys(byTeam), ['startTime', 'endTime', 'usageType', 'acceleratorSeconds', 'group'])
  t.same(byTeam.group, { 'annotations.team': 'search' })
  const byDeployment = rowOf(
    dedicated,
    aggregateOf({ group: ['accounts/test-co/deployments/dep-a'], sums: [3600], latest }),
    planOf(dedicated, ['deployment_name']),
  )
  t.notOk('acceleratorType' in byDeployment)
  t.has(byDeployment, { deploymentId: 'dep-a', baseModel: modelName('qwen3-8b'), placement: 'US_IOWA_1' })
})

t.test('dimensions, quantities and recordAt', async t => {
  const r = record({ acceleratorSeconds: 1800, annotations: { team: 'ads', project: '', environment: 'prod' } })
  t.same(
    Object.entries(dedicated.dimensions).map(([name, get]) => [name, get(r)]),
    [
      ['deployment_name', 'accounts/test-co/deployments/dep-a'],
      ['accelerator_type', 'NVIDIA_H100_80GB'],
      ['annotations.team', 'ads'],
      ['annotations.project', ''],
      ['annotations.environment', 'prod'],
    ],
  )
  t.same(dedicated.defaultGroupBy, ['deployment_name', 'accelerator_type'])
  t.same(measure(dedicated, r), [1800])
  const m: number[] = []
  fillDedicated(m, 7200)
  t.same(m, [7200])
  const at = Date.parse('2026-05-28T11:00:00Z')
  t.same(dedicated.recordAt(r, at, [900]), { ...r, time: at, acceleratorSeconds: 900 })
})

t.test('summary: GPU-hours per accelerator type at its price per hour, rated when the day closes', async t => {
  t.same(dedicated.summary.groupBy, ['accelerator_type'])
  const pieces = (accelerator: string, seconds: number) =>
    dedicated.summary.lineItems(aggregateOf({ group: [accelerator], sums: [seconds], latest: record({}) }))
  t.same(pieces('NVIDIA_H100_80GB', 7200), [
    {
      category: 'Dedicated Deployment',
      grouping: ['accelerator_type', 'NVIDIA_H100_80GB'],
      secondary: ['', ''],
      unitNano: 7_000_000_000, // $7 an hour
      quantity: 7200,
      scale: 3600,
      perHour: true,
    },
  ])
  const brief = (list: { unitNano: number; quantity: number; scale: number }[]) =>
    list.map(p => [p.unitNano, p.quantity, p.scale])
  t.same(brief(pieces('NVIDIA_A100_80GB', 1)), [[2_900_000_000, 1, 3600]])
  t.same(brief(pieces('NVIDIA_X1000', 3600)), [[0, 3600, 3600]], 'an unknown accelerator rates at 0')
  t.notOk('nano' in pieces('NVIDIA_H100_80GB', 7200)[0]!, 'no exact cost: GPU time is rated per day')
})
