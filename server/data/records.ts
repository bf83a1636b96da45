// The record model: one metered usage event of one stream. The fields every record has are
// here; what a stream's records hold besides is in that stream's description (server/streams/).

/** Annotation values; '' means the record has no such annotation (contract 1.4). */
export interface Annotations {
  team: string
  project: string
  environment: string
}
export const ANNOTATION_KEYS = ['team', 'project', 'environment'] as const

export interface UsageRecord {
  /** The stream: serverless, dedicated, training (its description's `kind`). */
  kind: string
  account: string
  /** Epoch milliseconds. */
  time: number
  annotations: Annotations
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
