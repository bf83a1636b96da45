// The streams the mock serves, in the order of the answer's arrays, of the usage_type enum
// (USAGE_TYPE_UNSPECIFIED is 0, then 1, 2, 3 [real]) and of the summary's series.

import { dedicated } from './dedicated.js'
import { serverless } from './serverless.js'
import type { StreamSpec } from '../model/stream.js'
import { training } from './training.js'

const streams: StreamSpec[] = [serverless, dedicated, training]

export function allStreams(): readonly StreamSpec[] {
  return streams
}

export function streamOf(kind: string): StreamSpec | undefined {
  return streams.find(s => s.kind === kind)
}

/**
 * Adds a stream after the built-in ones (its usage_type number is the next one). The name of
 * its kind, usage type and rows must be new, and its dimensions must not clash in meaning with
 * another stream's: a dimension of the same name is the same GROUP BY column in every stream.
 */
export function registerStream(spec: StreamSpec): void {
  for (const s of streams)
    if (s.kind === spec.kind || s.usageType === spec.usageType || s.rowsField === spec.rowsField)
      throw new Error(`stream ${spec.kind} clashes with ${s.kind}`)
  streams.push(spec)
  dimensions = undefined
}

/** The request's usage_type enum, in proto order: the number of a value is its index [gw]. */
export function usageTypes(): string[] {
  return ['USAGE_TYPE_UNSPECIFIED', ...streams.map(s => s.usageType)]
}

let dimensions: readonly string[] | undefined
/** Every dimension of any stream, each once, in stream order (worked out once: every query asks). */
export function allDimensions(): readonly string[] {
  dimensions ??= [...new Set(streams.flatMap(s => Object.keys(s.dimensions)))]
  return dimensions
}
