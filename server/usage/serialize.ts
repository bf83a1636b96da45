// Aggregates -> the proto-JSON shape of gatewayAccountUsage [contract 1.6]: int64 as strings,
// doubles as numbers, timestamps as RFC 3339 UTC, `group` keyed by the requested dimension
// names, every row field present, the deprecated fields only under their conditions.

import { internal } from '../errors.js'
import type { DedicatedRecord, TrainingRecord } from '../data/records.js'
import type { Aggregate } from './aggregate.js'
import type { StreamPlan } from './query.js'

/** int64 as a JSON string; refuses to print a sum that a double no longer holds exactly. */
function int64(n: number): string {
  if (!Number.isSafeInteger(n)) throw internal(`a usage total (${n}) exceeds 2^53 and cannot be summed exactly`)
  return String(n)
}

function groupObject(plan: StreamPlan, values: string[]): Record<string, string> {
  const group: Record<string, string> = {}
  for (let i = 0; i < values.length; i++) group[plan.groupBy[i] as string] = values[i] as string
  return group
}

export type JsonRow = Record<string, unknown>

export function serverlessRow(agg: Aggregate<'serverless'>, plan: StreamPlan, requestedGroupBy: readonly string[]): JsonRow {
  const [prompt, cached, completion, audioMicros, cost] = agg.sums as [number, number, number, number, number]
  const row: JsonRow = {
    startTime: agg.bucket.startTime,
    endTime: agg.bucket.endTime,
    usageType: agg.usageType,
    promptTokens: int64(prompt),
    completionTokens: int64(completion),
    cachedPromptTokens: int64(cached),
    uncachedPromptTokens: int64(prompt - cached),
    audioInputSeconds: audioMicros / 1e6,
    costNanoUsd: cost,
    group: groupObject(plan, agg.group),
  }
  // [real] deprecated top-level fields, populated only when their dimension is grouped.
  if (plan.groupBy.includes('model_name')) row.modelName = agg.group[plan.groupBy.indexOf('model_name')]
  if (requestedGroupBy.includes('api_key_id')) row.apiKeyId = agg.group[plan.groupBy.indexOf('api_key_id')]
  return row
}

export function dedicatedRow(agg: Aggregate<'dedicated'>, plan: StreamPlan): JsonRow {
  const latest: DedicatedRecord = agg.latest
  const row: JsonRow = {
    startTime: agg.bucket.startTime,
    endTime: agg.bucket.endTime,
    usageType: 'DEDICATED_DEPLOYMENT_USAGE',
    acceleratorSeconds: int64(agg.sums[0] as number),
    group: groupObject(plan, agg.group),
  }
  if (plan.groupBy.includes('deployment_name')) {
    // [ours] the bare id: the last segment of accounts/<acct>/deployments/<id>.
    row.deploymentId = latest.deployment.slice(latest.deployment.lastIndexOf('/') + 1)
    row.baseModel = latest.baseModel
    row.placement = latest.placement || 'REGION_UNSPECIFIED'
  }
  if (plan.groupBy.includes('accelerator_type')) row.acceleratorType = latest.acceleratorType
  return row
}

export function trainingRow(agg: Aggregate<'training'>, plan: StreamPlan): JsonRow {
  const latest: TrainingRecord = agg.latest
  const row: JsonRow = {
    startTime: agg.bucket.startTime,
    endTime: agg.bucket.endTime,
    tokens: int64(agg.sums[0] as number),
    acceleratorSeconds: int64(agg.sums[1] as number),
    group: groupObject(plan, agg.group),
  }
  const grouped = (d: string) => plan.groupBy.includes(d)
  if (grouped('job_id')) row.jobId = latest.jobId
  if (grouped('job_type')) row.jobType = latest.jobType
  if (grouped('usage_type')) row.usageType = latest.usageType
  if (grouped('accelerator_type')) row.acceleratorType = latest.acceleratorType
  if (grouped('base_model')) row.baseModel = latest.baseModel
  if (grouped('job_id')) {
    row.trainingSessionId = latest.trainingSessionId
    row.annotations = Object.fromEntries(Object.entries(latest.annotations).filter(([, v]) => v !== ''))
  }
  return row
}
