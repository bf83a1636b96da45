// Dedicated deployments [contract 1.4, 1.6]: accelerator-seconds per deployment and accelerator
// type. Rows carry no cost [real]; the billing summary rates GPU-hours by accelerator type.

import type { UsageRecord } from '../data/records.js'
import { acceleratorNanoPerHour } from '../data/prices.js'
import { ANNOTATION_DIMENSIONS, groupObject, int64, type JsonRow, type StreamSpec } from './stream.js'

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
export function fillDedicated(m: number[], acceleratorSeconds: number): void {
  m[0] = acceleratorSeconds
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
  quantities: [{ name: 'acceleratorSeconds', of: r => r.acceleratorSeconds }],
  recordAt: (template, time, m) => ({ ...template, time, acceleratorSeconds: m[0] as number }),
  row(agg, plan) {
    const row: JsonRow = {
      startTime: agg.bucket.startTime,
      endTime: agg.bucket.endTime,
      usageType: 'DEDICATED_DEPLOYMENT_USAGE',
      acceleratorSeconds: int64(agg.sums[0] as number),
      group: groupObject(plan.groupBy, agg.group),
    }
    // Attributes that are not grouping dimensions come from the group's latest record [ours].
    const latest = agg.latest
    if (plan.groupBy.includes('deployment_name')) {
      // [ours] the bare id: the last segment of accounts/<acct>/deployments/<id>.
      row.deploymentId = latest.deployment.slice(latest.deployment.lastIndexOf('/') + 1)
      row.baseModel = latest.baseModel
      row.placement = latest.placement || 'REGION_UNSPECIFIED'
    }
    if (plan.groupBy.includes('accelerator_type')) row.acceleratorType = latest.acceleratorType
    return row
  },
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
          quantity: agg.sums[0] as number,
          scale: 3600,
          perHour: true,
        },
      ]
    },
  },
}
