// Dedicated deployments [contract 1.4, 1.6]: accelerator-seconds per deployment and accelerator
// type. Rows carry no cost [real]; the billing summary rates GPU-hours by accelerator type.

import type { UsageRecord } from '../model/records.js'
import { acceleratorNanoPerHour } from '../data/prices.js'
import { ANNOTATION_DIMENSIONS, BOUNDS_FIELDS, GROUP_FIELD, whenGrouped } from './stream.js'
import { placesOf, type Quantity, type StreamSpec } from '../model/stream.js'

export interface DedicatedRecord extends UsageRecord {
  kind: 'dedicated'
  /** The full resource name, accounts/<acct>/deployments/<id>. */
  deployment: string
  acceleratorType: string
  acceleratorSeconds: number
  baseModel: string
  /** '' when unknown; serialized as REGION_UNSPECIFIED [real]. */
  placement: string
  usageType: string
}

export const DEDICATED_USAGE_TYPES = ['DEDICATED_DEPLOYMENT_USAGE'] as const

/** The generator's fast path: one hour's amounts, in quantity order, into `m`. */
/** What a deployment's record adds up (one quantity), read by name (AT). */
const QUANTITIES = [
  { name: 'acceleratorSeconds', of: r => r.acceleratorSeconds },
] as const satisfies readonly Quantity<DedicatedRecord>[]
const AT = placesOf(QUANTITIES)
const amount = (m: ArrayLike<number>, place: number) => m[place] as number

export function fillDedicated(m: number[], acceleratorSeconds: number): void {
  m[AT.acceleratorSeconds] = acceleratorSeconds
}

export const dedicated: StreamSpec<DedicatedRecord> = {
  kind: 'dedicated',
  usageType: 'DEDICATED_DEPLOYMENT',
  rowsField: 'dedicatedCosts',
  fields: {
    deployment: 'string',
    acceleratorType: 'string',
    acceleratorSeconds: 'count',
    baseModel: 'string',
    placement: 'string',
    usageType: { oneOf: DEDICATED_USAGE_TYPES, default: 'DEDICATED_DEPLOYMENT_USAGE' },
  },
  dimensions: {
    deployment_name: r => r.deployment,
    accelerator_type: r => r.acceleratorType,
    ...ANNOTATION_DIMENSIONS,
  },
  defaultGroupBy: ['deployment_name', 'accelerator_type'],
  quantities: QUANTITIES,
  recordAt: (template, time, m) => ({ ...template, time, acceleratorSeconds: amount(m, AT.acceleratorSeconds) }),
  // Attributes that are not grouping dimensions come from the group's latest record [ours].
  rowFields: [
    ...BOUNDS_FIELDS,
    { name: 'usageType', kind: 'string', per: 'group', value: () => 'DEDICATED_DEPLOYMENT_USAGE' },
    { name: 'acceleratorSeconds', kind: 'int64', value: a => amount(a.sums, AT.acceleratorSeconds) },
    GROUP_FIELD,
    // [ours] the bare id: the last segment of accounts/<acct>/deployments/<id>.
    {
      name: 'deploymentId',
      kind: 'string',
      when: whenGrouped('deployment_name'),
      value: a => a.latest.deployment.slice(a.latest.deployment.lastIndexOf('/') + 1),
    },
    { name: 'baseModel', kind: 'string', when: whenGrouped('deployment_name'), value: a => a.latest.baseModel },
    {
      name: 'placement',
      kind: 'string',
      when: whenGrouped('deployment_name'),
      value: a => a.latest.placement || 'REGION_UNSPECIFIED',
    },
    {
      name: 'acceleratorType',
      kind: 'string',
      when: whenGrouped('accelerator_type'),
      value: a => a.latest.acceleratorType,
    },
  ],
  // [ours] one line per accelerator type, in GPU-hours, rated once per day (billed per second).
  summary: {
    groupBy: ['accelerator_type'],
    lineItems(agg) {
      const accelerator = agg.group[0] as string
      return [
        {
          category: 'Dedicated Deployment',
          grouping: ['accelerator_type', accelerator],
          secondary: ['', ''],
          unitNano: acceleratorNanoPerHour(accelerator),
          quantity: amount(agg.sums, AT.acceleratorSeconds),
          scale: 3600,
          perHour: true,
        },
      ]
    },
  },
}
