// The dimension catalogue [contract 1.4, real]: which GROUP BY / filter dimensions each stream
// has, its default grouping, and how a record yields a dimension's value.

import type { DedicatedRecord, RecordOfStream, ServerlessRecord, Stream, TrainingRecord } from '../data/records.js'

type Accessors<R> = Record<string, (r: R) => string>
const annotationAccessors = {
  'annotations.team': (r: { annotations: { team: string } }) => r.annotations.team,
  'annotations.project': (r: { annotations: { project: string } }) => r.annotations.project,
  'annotations.environment': (r: { annotations: { environment: string } }) => r.annotations.environment,
}

const SERVERLESS: Accessors<ServerlessRecord> = {
  model_name: r => r.model,
  api_key_id: r => r.apiKeyId,
  api_key_name: r => r.apiKeyName,
  ...annotationAccessors,
}
const DEDICATED: Accessors<DedicatedRecord> = {
  deployment_name: r => r.deployment,
  accelerator_type: r => r.acceleratorType,
  ...annotationAccessors,
}
const TRAINING: Accessors<TrainingRecord> = {
  job_id: r => r.jobId,
  job_type: r => r.jobType,
  usage_type: r => r.usageType,
  accelerator_type: r => r.acceleratorType,
  base_model: r => r.baseModel,
  ...annotationAccessors,
}

const ACCESSORS: { [S in Stream]: Accessors<RecordOfStream[S]> } = {
  serverless: SERVERLESS,
  dedicated: DEDICATED,
  training: TRAINING,
}

export const DIMENSIONS: { readonly [S in Stream]: readonly string[] } = {
  serverless: Object.keys(SERVERLESS),
  dedicated: Object.keys(DEDICATED),
  training: Object.keys(TRAINING),
}

/** Grouping used when `groupBy` is empty [real]. */
export const DEFAULT_GROUP_BY: { readonly [S in Stream]: readonly string[] } = {
  serverless: ['model_name'],
  dedicated: ['deployment_name', 'accelerator_type'],
  training: ['job_id', 'job_type', 'usage_type', 'accelerator_type', 'base_model'],
}

export const ALL_DIMENSIONS: readonly string[] = [
  ...new Set([...DIMENSIONS.serverless, ...DIMENSIONS.dedicated, ...DIMENSIONS.training]),
]

export function appliesTo(stream: Stream, dimension: string): boolean {
  return DIMENSIONS[stream].includes(dimension)
}

/** The function that reads a dimension's value off a record of the stream. */
export function accessor<S extends Stream>(stream: S, dimension: string): (r: RecordOfStream[S]) => string {
  const f = ACCESSORS[stream][dimension]
  if (!f) throw new Error(`dimension ${dimension} does not apply to ${stream}`)
  return f
}
