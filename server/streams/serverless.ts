// Serverless inference [contract 1.4, 1.6]: tokens (and audio seconds) per model and API key,
// rated from the price list into costNanoUsd.

import type { UsageRecord } from '../model/records.js'
import { modelDisplayName, modelPrice, type ModelPrice } from '../data/prices.js'
import { ANNOTATION_DIMENSIONS, BOUNDS_FIELDS, GROUP_FIELD, groupedValueField, partOf } from './stream.js'
import { placesOf, type LineItemPiece, type Quantity, type StreamSpec } from '../model/stream.js'

export interface ServerlessRecord extends UsageRecord {
  kind: 'serverless'
  model: string
  apiKeyId: string
  apiKeyName: string
  usageType: string
  /** Always cachedPromptTokens + uncached; the uncached part is the difference [real]. */
  promptTokens: number
  cachedPromptTokens: number
  completionTokens: number
  audioInputSeconds: number
  costNanoUsd: number
}

/** [real] text completion; [ours] audio models. */
export const SERVERLESS_USAGE_TYPES = ['TEXT_COMPLETION_INFERENCE_USAGE', 'AUDIO_INFERENCE_USAGE'] as const
export const TEXT_USAGE_TYPE = SERVERLESS_USAGE_TYPES[0]

/** A record's cost in parts, one per line item type: input, cached input, output, audio. */
export type CostParts = [input: number, cachedInput: number, output: number, audio: number]
/** [real] Fireworks' serverless price SKUs, as the live billing summary names its line items, in part order. */
const TEXT_SKUS = ['LLM input tokens (uncached)', 'LLM input tokens (cached)', 'LLM output tokens'] as const

/**
 * What a serverless record adds up, in the order of an aggregate's sums; read by name everywhere
 * else (AT). Audio in whole microseconds, so that sums of decimals do not drift (0.1 + 0.2 stays
 * 0.3); the cost in its four parts, so that the summary's line items are sums too.
 */
const QUANTITIES = [
  { name: 'promptTokens', of: r => r.promptTokens },
  { name: 'cachedPromptTokens', of: r => r.cachedPromptTokens },
  { name: 'completionTokens', of: r => r.completionTokens },
  { name: 'audioInputMicros', of: r => micros(r.audioInputSeconds) },
  { name: 'inputCostNano', of: r => costParts(r)[0] },
  { name: 'cachedInputCostNano', of: r => costParts(r)[1] },
  { name: 'outputCostNano', of: r => costParts(r)[2] },
  { name: 'audioCostNano', of: r => costParts(r)[3] },
] as const satisfies readonly Quantity<ServerlessRecord>[]
/** Each serverless quantity's place in amounts and sums, by name. */
export const AT = placesOf(QUANTITIES)
/** The places of the cost's parts, in CostParts order. */
const COST_PLACES = [AT.inputCostNano, AT.cachedInputCostNano, AT.outputCostNano, AT.audioCostNano] as const
const PART_PLACES = [0, 1, 2, 3] as const

/** Audio models are rated per second; an unpriced model is audio when its record says so. */
export function isAudio(price: ModelPrice | undefined, usageType: string): boolean {
  return price ? price.kind === 'audio' : usageType === 'AUDIO_INFERENCE_USAGE'
}

/**
 * The one rating function: a record's cost by the price list, in parts. Audio counts in whole
 * microseconds with integer arithmetic (0.00006 s x 25,000 is exactly 1.5, which rounds to 2).
 * A model missing from the price list rates at 0 [contract 6].
 */
export function listCostParts(
  price: ModelPrice | undefined,
  prompt: number,
  cached: number,
  completion: number,
  audioMicros: number,
): CostParts {
  const parts: CostParts = [0, 0, 0, 0]
  fillListCost(price, prompt, cached, completion, audioMicros, parts, PART_PLACES)
  return parts
}

/**
 * listCostParts into `out` at the parts' places (input, cached input, output, audio), without
 * an array of its own (for every generated or arriving record).
 */
function fillListCost(
  price: ModelPrice | undefined,
  prompt: number,
  cached: number,
  completion: number,
  audioMicros: number,
  out: number[],
  [input, cachedInput, output, audioPart]: readonly [number, number, number, number],
): void {
  const audio = price?.kind === 'audio'
  const tokens = price?.kind === 'tokens' ? price : undefined
  out[input] = tokens ? (prompt - cached) * tokens.input : 0
  out[cachedInput] = tokens ? cached * tokens.cachedInput : 0
  out[output] = tokens ? completion * tokens.output : 0
  out[audioPart] = audio ? Math.round((audioMicros * price.perSecond) / 1e6) : 0
}

/** A model's price, looked up once per name (modelPrice cuts the name; this is asked of every arriving record). */
const prices = new Map<string, { price: ModelPrice | undefined }>()
function priceOf(model: string): ModelPrice | undefined {
  let entry = prices.get(model)
  if (!entry) prices.set(model, (entry = { price: modelPrice(model) }))
  return entry.price
}

const micros = (seconds: number) => Math.round(seconds * 1e6)
const total = (parts: readonly number[]) => parts.reduce((a, b) => a + b, 0)
/** An amount by its place (places are the stream's own: always inside the array). */
const amount = (m: ArrayLike<number>, place: number) => m[place] as number
/** The cost: the sum of its four parts, without a copy (asked of every row). */
export const costOf = (m: ArrayLike<number>) =>
  amount(m, AT.inputCostNano) +
  amount(m, AT.cachedInputCostNano) +
  amount(m, AT.outputCostNano) +
  amount(m, AT.audioCostNano)

/**
 * A record's cost in parts that add up to its costNanoUsd. A fixture may give a cost of its own
 * (a discount, a model the list does not price): it is shared among the parts in proportion to
 * the list's parts (largest remainders, so the parts are integers summing exactly), or all of it
 * to input (audio for audio models) when the list says 0. So the billing summary's line items
 * always add up to the sum of costNanoUsd, without an adjustment line.
 */
export function costParts(r: ServerlessRecord): CostParts {
  const price = modelPrice(r.model)
  const list = listCostParts(
    price,
    r.promptTokens,
    r.cachedPromptTokens,
    r.completionTokens,
    micros(r.audioInputSeconds),
  )
  const listed = total(list)
  if (r.costNanoUsd === listed) return list
  if (listed === 0) return isAudio(price, r.usageType) ? [0, 0, 0, r.costNanoUsd] : [r.costNanoUsd, 0, 0, 0]
  const cost = BigInt(r.costNanoUsd)
  const exact = list.map(p => cost * BigInt(p))
  const parts = exact.map(e => Number(e / BigInt(listed)))
  const order = [0, 1, 2, 3].sort(
    (a, b) => Number((exact[b] as bigint) % BigInt(listed)) - Number((exact[a] as bigint) % BigInt(listed)) || a - b,
  )
  for (let left = r.costNanoUsd - total(parts), i = 0; left > 0; left--, i++) {
    const k = order[i] as number
    parts[k] = (parts[k] as number) + 1
  }
  return parts as CostParts
}

/**
 * The generator's fast path, without a record object: one hour's amounts, in quantity order,
 * into `m` (reused between records), the cost rated by the same function.
 */
export function fillServerless(
  m: number[],
  price: ModelPrice | undefined,
  prompt: number,
  cached: number,
  completion: number,
  audioMicros: number,
): void {
  m[AT.promptTokens] = prompt
  m[AT.cachedPromptTokens] = cached
  m[AT.completionTokens] = completion
  m[AT.audioInputMicros] = audioMicros
  fillListCost(price, prompt, cached, completion, audioMicros, m, COST_PLACES)
}

export const serverless: StreamSpec<ServerlessRecord> = {
  kind: 'serverless',
  usageType: 'SERVERLESS',
  rowsField: 'serverlessCosts',
  fields: {
    model: 'string',
    apiKeyId: 'string',
    apiKeyName: 'string',
    usageType: { oneOf: SERVERLESS_USAGE_TYPES, default: 'TEXT_COMPLETION_INFERENCE_USAGE' },
    promptTokens: 'count',
    cachedPromptTokens: 'count',
    completionTokens: 'count',
    audioInputSeconds: 'seconds',
    costNanoUsd: 'count',
  },
  check(entry, problem, given) {
    const fine = (field: string) => given(field) || entry[field] === undefined
    const amount = (field: string) => (given(field) ? (entry[field] as number) : 0)
    if (fine('promptTokens') && fine('cachedPromptTokens') && amount('cachedPromptTokens') > amount('promptTokens'))
      problem(
        'cachedPromptTokens',
        `must not exceed promptTokens (${amount('promptTokens')}), got ${amount('cachedPromptTokens')}`,
      )
    const rated = ['model', 'promptTokens', 'cachedPromptTokens', 'completionTokens', 'audioInputSeconds'].every(fine)
      ? total(
          listCostParts(
            modelPrice(given('model') ? (entry.model as string) : ''),
            amount('promptTokens'),
            amount('cachedPromptTokens'),
            amount('completionTokens'),
            micros(amount('audioInputSeconds')),
          ),
        )
      : 0
    if (entry.costNanoUsd === undefined && !Number.isSafeInteger(rated))
      problem('costNanoUsd', `the rated cost (${rated}) exceeds 2^53 nano-USD; give costNanoUsd explicitly`)
  },
  complete(r, entry) {
    if (entry.costNanoUsd !== undefined) return r
    const cost = total(
      listCostParts(
        modelPrice(r.model),
        r.promptTokens,
        r.cachedPromptTokens,
        r.completionTokens,
        micros(r.audioInputSeconds),
      ),
    )
    return { ...r, costNanoUsd: cost }
  },
  dimensions: {
    model_name: r => r.model,
    api_key_id: r => r.apiKeyId,
    api_key_name: r => r.apiKeyName,
    ...ANNOTATION_DIMENSIONS,
  },
  defaultGroupBy: ['model_name'],
  quantities: QUANTITIES,
  recordAt: (template, time, m) => ({
    ...template,
    time,
    promptTokens: amount(m, AT.promptTokens),
    cachedPromptTokens: amount(m, AT.cachedPromptTokens),
    completionTokens: amount(m, AT.completionTokens),
    audioInputSeconds: amount(m, AT.audioInputMicros) / 1e6,
    costNanoUsd: costOf(m),
  }),
  // The part of a record that has arrived is usage like any other: cached and uncached tokens
  // arrive separately (prompt stays cached + uncached [real]), and a record rated from the price
  // list (every synthetic one) has its visible tokens rated from the list too, so each summary
  // line item stays its tokens times its unit price. A fixture's own cost (a discount, an
  // unpriced model) arrives part by part. Each amount only grows as more arrives.
  partial(r, m, at, units, out) {
    const prompt = amount(m, at + AT.promptTokens)
    const cached = amount(m, at + AT.cachedPromptTokens)
    const completion = amount(m, at + AT.completionTokens)
    const audio = amount(m, at + AT.audioInputMicros)
    out[AT.cachedPromptTokens] = partOf(cached, units)
    out[AT.promptTokens] = partOf(cached, units) + partOf(prompt - cached, units)
    out[AT.completionTokens] = partOf(completion, units)
    out[AT.audioInputMicros] = partOf(audio, units)
    const price = priceOf(r.model)
    fillListCost(price, prompt, cached, completion, audio, out, COST_PLACES)
    const rated = COST_PLACES.every(q => out[q] === m[at + q])
    if (rated)
      fillListCost(
        price,
        amount(out, AT.promptTokens),
        amount(out, AT.cachedPromptTokens),
        amount(out, AT.completionTokens),
        amount(out, AT.audioInputMicros),
        out,
        COST_PLACES,
      )
    else for (const q of COST_PLACES) out[q] = partOf(amount(m, at + q), units)
  },
  // [contract 1.6] a row carries one usage type, so text and audio usage are separate rows.
  split: r => r.usageType,
  rowFields: [
    ...BOUNDS_FIELDS,
    { name: 'usageType', kind: 'string', per: 'group', value: g => g.split },
    { name: 'promptTokens', kind: 'int64', value: a => amount(a.sums, AT.promptTokens) },
    { name: 'completionTokens', kind: 'int64', value: a => amount(a.sums, AT.completionTokens) },
    { name: 'cachedPromptTokens', kind: 'int64', value: a => amount(a.sums, AT.cachedPromptTokens) },
    {
      name: 'uncachedPromptTokens',
      kind: 'int64',
      value: a => amount(a.sums, AT.promptTokens) - amount(a.sums, AT.cachedPromptTokens),
    },
    { name: 'audioInputSeconds', kind: 'number', value: a => amount(a.sums, AT.audioInputMicros) / 1e6 },
    { name: 'costNanoUsd', kind: 'number', value: a => costOf(a.sums) },
    GROUP_FIELD,
    // [real] deprecated top-level fields, present only when their dimension is grouped.
    groupedValueField('modelName', 'model_name'),
    groupedValueField('apiKeyId', 'api_key_id'),
  ],
  // [client] text usage in the live API's words: one line per model and price SKU, grouped by
  // the model's display name under `model_bucket`, quantity in tokens, unitAmount per token.
  // [ours] audio keeps our vocabulary (no real answer shows theirs): one line per audio model.
  // The parts of the cost (costParts) are the line items' totals.
  summary: {
    groupBy: ['model_name'],
    lineItems(agg) {
      const model = agg.group[0] as string
      const price = modelPrice(model)
      const { sums } = agg
      const cached = amount(sums, AT.cachedPromptTokens)
      const uncached = amount(sums, AT.promptTokens) - cached
      const tokens = price?.kind === 'tokens' ? price : undefined
      const pieces: LineItemPiece[] = isAudio(price, agg.split)
        ? [
            {
              category: 'Audio Transcription',
              grouping: ['model', model],
              secondary: ['type', 'audio_seconds'],
              unitNano: price?.kind === 'audio' ? price.perSecond : 0,
              quantity: amount(sums, AT.audioInputMicros),
              scale: 1e6,
              nano: amount(sums, AT.audioCostNano),
            },
          ]
        : TEXT_SKUS.map((category, i) => ({
            category,
            grouping: ['model_bucket', modelDisplayName(model)],
            secondary: ['', ''],
            unitNano: tokens ? [tokens.input, tokens.cachedInput, tokens.output][i]! : 0,
            quantity: [uncached, cached, amount(sums, AT.completionTokens)][i]!,
            scale: 1,
            nano: amount(sums, COST_PLACES[i]!),
          }))
      return pieces.filter(p => p.quantity !== 0 || p.nano !== 0)
    },
  },
}
