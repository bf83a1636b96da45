// The record model: one metered usage event of one of the three streams. Every row field and
// every dimension of the contract (sections 1.4 and 1.6) is computed from these fields alone.

export type Stream = 'serverless' | 'dedicated' | 'training'
export const STREAMS: readonly Stream[] = ['serverless', 'dedicated', 'training']

/** Annotation values; '' means the record has no such annotation (contract 1.4). */
export interface Annotations {
  team: string
  project: string
  environment: string
}
export const ANNOTATION_KEYS = ['team', 'project', 'environment'] as const

export const SERVERLESS_USAGE_TYPES = ['TEXT_COMPLETION_INFERENCE_USAGE', 'AUDIO_INFERENCE_USAGE'] as const
export const DEDICATED_USAGE_TYPES = ['DEDICATED_DEPLOYMENT_USAGE'] as const
export const TRAINING_USAGE_TYPES = ['TRAINING_TOKENS', 'TRAINER_ACCELERATOR_SECONDS'] as const
export const JOB_TYPES = ['SFT', 'DPO', 'RFT', 'RLOR_TRAINER'] as const

interface RecordBase {
  account: string
  /** Epoch milliseconds. */
  time: number
  annotations: Annotations
}

export interface ServerlessRecord extends RecordBase {
  kind: 'serverless'
  model: string
  apiKeyId: string
  apiKeyName: string
  usageType: string
  /** Always cachedPromptTokens + uncached; the uncached part is the difference. */
  promptTokens: number
  cachedPromptTokens: number
  completionTokens: number
  audioInputSeconds: number
  costNanoUsd: number
}

export interface DedicatedRecord extends RecordBase {
  kind: 'dedicated'
  /** The full resource name, accounts/<acct>/deployments/<id>. */
  deployment: string
  acceleratorType: string
  acceleratorSeconds: number
  baseModel: string
  /** '' when unknown; serialized as REGION_UNSPECIFIED. */
  placement: string
  usageType: string
}

export interface TrainingRecord extends RecordBase {
  kind: 'training'
  jobId: string
  jobType: string
  usageType: string
  tokens: number
  acceleratorType: string
  acceleratorSeconds: number
  baseModel: string
  trainingSessionId: string
}

export type UsageRecord = ServerlessRecord | DedicatedRecord | TrainingRecord
export interface RecordOfStream {
  serverless: ServerlessRecord
  dedicated: DedicatedRecord
  training: TrainingRecord
}

export interface KeyDef {
  id: string
  name: string
  secret: string
}

export interface AccountDef {
  account: string
  keys: KeyDef[]
}

/**
 * A record in the fixture format (contract 6), every field written out: what /_mock/records
 * exports, and what a fixture file can load back to reproduce the same answers.
 */
export function recordToFixture(r: UsageRecord, formatTime: (ms: number) => string): Record<string, unknown> {
  const annotations = Object.fromEntries(Object.entries(r.annotations).filter(([, v]) => v !== ''))
  const { kind, account, time, annotations: _, ...rest } = r
  return { kind, account, time: formatTime(time), ...rest, annotations }
}

/**
 * The quantities of a record that add up, in a fixed order per stream: what the engine sums
 * and what synthetic generators produce hour by hour. Audio seconds count in whole
 * microseconds so that sums of decimals do not drift (0.1 + 0.2 stays 0.3).
 */
export function measuresOf(r: UsageRecord): number[] {
  switch (r.kind) {
    case 'serverless':
      return [r.promptTokens, r.cachedPromptTokens, r.completionTokens, Math.round(r.audioInputSeconds * 1e6), r.costNanoUsd]
    case 'dedicated':
      return [r.acceleratorSeconds]
    case 'training':
      return [r.tokens, r.acceleratorSeconds]
  }
}

/** A record of a series at a time with the given measures (the inverse of measuresOf). */
export function recordAt<R extends UsageRecord>(template: R, time: number, m: readonly number[]): R {
  const r = template as UsageRecord
  switch (r.kind) {
    case 'serverless':
      return { ...r, time, promptTokens: m[0], cachedPromptTokens: m[1], completionTokens: m[2], audioInputSeconds: (m[3] as number) / 1e6, costNanoUsd: m[4] } as R
    case 'dedicated':
      return { ...r, time, acceleratorSeconds: m[0] } as R
    case 'training':
      return { ...r, time, tokens: m[0], acceleratorSeconds: m[1] } as R
  }
}
