// The one price list: unit prices only. How a stream's usage is rated with them is in the
// stream's description (server/streams/), which both billingUsage's costNanoUsd and the billing
// summary's line items use. Units are nano-USD (USD x 10^9) per token, per audio second, or per
// accelerator hour.

import { own } from '../own.js'

export const MODEL_PREFIX = 'accounts/fireworks/models/'

export interface TokenPrice {
  kind: 'tokens'
  input: number
  cachedInput: number
  output: number
}
export interface AudioPrice {
  kind: 'audio'
  perSecond: number
}
export type ModelPrice = TokenPrice | AudioPrice

/** USD per 1M tokens -> nano-USD per token. Cached input defaults to half of input. */
function perMillion(input: number, output: number, cachedInput = input / 2): TokenPrice {
  const nano = (usd: number) => Math.round(usd * 1000)
  return { kind: 'tokens', input: nano(input), cachedInput: nano(cachedInput), output: nano(output) }
}

const MODEL_PRICES: Record<string, ModelPrice> = {
  // [real] published serverless prices (input / cached input / output per 1M tokens).
  'kimi-k2p6': perMillion(0.95, 4.0, 0.16),
  'deepseek-v3p1': perMillion(0.56, 1.68, 0.28),
  'glm-4p7': perMillion(0.6, 2.2, 0.3),
  'gpt-oss-120b': perMillion(0.15, 0.6, 0.015),
  'gpt-oss-20b': perMillion(0.07, 0.3, 0.035),
  // [ours] Fireworks' public per-size tiers for models without their own rate: under 4B $0.10,
  // 4B-16B $0.20, over 16B $0.90, MoE up to 56B $0.50, MoE 56B-176B $1.20 (input = output).
  'llama-v3p3-70b-instruct': perMillion(0.9, 0.9),
  'qwen2p5-72b-instruct': perMillion(0.9, 0.9),
  'qwen2p5-vl-32b-instruct': perMillion(0.9, 0.9),
  'qwen3-vl-30b-a3b': perMillion(0.5, 0.5),
  'mixtral-8x7b-instruct': perMillion(0.5, 0.5),
  'mixtral-8x22b-instruct': perMillion(1.2, 1.2),
  'llama-v3p1-8b-instruct': perMillion(0.2, 0.2),
  'qwen3-8b': perMillion(0.2, 0.2),
  'llama-guard-3-8b': perMillion(0.2, 0.2),
  'llama-v3p2-3b-instruct': perMillion(0.1, 0.1),
  'phi-3-mini-128k-instruct': perMillion(0.1, 0.1),
  // [ours] whisper-v3 at $0.0015 per audio minute = 25,000 nano-USD per second.
  'whisper-v3': { kind: 'audio', perSecond: 25_000 },
}

/**
 * [real] The names the live billing summary groups serverless line items by (`model_bucket`),
 * as Fireworks' model pages write them. A model without one is named by its resource name.
 */
const MODEL_DISPLAY_NAMES: Record<string, string> = {
  'kimi-k2p6': 'Kimi K2.6',
  'deepseek-v3p1': 'DeepSeek V3.1',
  'glm-4p7': 'GLM-4.7',
  'gpt-oss-120b': 'OpenAI gpt-oss-120b',
  'gpt-oss-20b': 'OpenAI gpt-oss-20b',
  'llama-v3p3-70b-instruct': 'Llama 3.3 70B Instruct',
  'qwen2p5-72b-instruct': 'Qwen2.5 72B Instruct',
  'qwen2p5-vl-32b-instruct': 'Qwen2.5-VL 32B Instruct',
  'qwen3-vl-30b-a3b': 'Qwen3 VL 30B A3B',
  'mixtral-8x7b-instruct': 'Mixtral MoE 8x7B Instruct',
  'mixtral-8x22b-instruct': 'Mixtral MoE 8x22B Instruct',
  'llama-v3p1-8b-instruct': 'Llama 3.1 8B Instruct',
  'qwen3-8b': 'Qwen3 8B',
  'llama-guard-3-8b': 'Llama Guard 3 8B',
  'llama-v3p2-3b-instruct': 'Llama 3.2 3B Instruct',
  'phi-3-mini-128k-instruct': 'Phi-3 Mini 128K Instruct',
  'whisper-v3': 'Whisper V3 Large',
}

export function modelDisplayName(model: string): string {
  return (
    (model.startsWith(MODEL_PREFIX) ? own(MODEL_DISPLAY_NAMES, model.slice(MODEL_PREFIX.length)) : undefined) ?? model
  )
}

export function modelPrice(model: string): ModelPrice | undefined {
  return model.startsWith(MODEL_PREFIX) ? own(MODEL_PRICES, model.slice(MODEL_PREFIX.length)) : undefined
}

/** USD per accelerator hour in nano-USD, 0 for an unknown accelerator. */
export function acceleratorNanoPerHour(acceleratorType: string): number {
  return Math.round((own(ACCELERATOR_USD_PER_HOUR, acceleratorType) ?? 0) * 1e9)
}

/**
 * Parameter counts (billions) of the models that can be fine-tuned here; training prices
 * depend on them. [ours] from the models' names and public model cards.
 */
const PARAMETERS_B: Record<string, number> = {
  'llama-v3p1-8b-instruct': 8,
  'qwen3-8b': 8,
  'llama-v3p2-3b-instruct': 3,
  'llama-v3p3-70b-instruct': 70,
  'qwen2p5-72b-instruct': 72,
  'qwen3-vl-30b-a3b': 30,
  'gpt-oss-20b': 21,
  'gpt-oss-120b': 117,
  'kimi-k2p6': 1000,
  'deepseek-v3p1': 671,
}

export function parametersB(model: string): number | undefined {
  return model.startsWith(MODEL_PREFIX) ? own(PARAMETERS_B, model.slice(MODEL_PREFIX.length)) : undefined
}

/**
 * [real] SFT and DPO are billed per training token. [ours] by size, USD per 1M tokens: up to
 * 16B $0.50, up to 80B $3, up to 300B $6, larger $10. An unknown base model rates at 0.
 */
export function trainingTokenNano(baseModel: string): number {
  const b = parametersB(baseModel)
  if (b === undefined) return 0
  return b <= 16 ? 500 : b <= 80 ? 3000 : b <= 300 ? 6000 : 10000
}

/** [real] RFT under 16B parameters is free (a model of unknown size is not small). */
export function isFreeRft(jobType: string, baseModel: string): boolean {
  return jobType === 'RFT' && (parametersB(baseModel) ?? Infinity) < 16
}

/** Trainer GPU time is billed per hour, but for free RFT. */
export function trainerNanoPerHour(jobType: string, baseModel: string, acceleratorType: string): number {
  return isFreeRft(jobType, baseModel) ? 0 : acceleratorNanoPerHour(acceleratorType)
}

/**
 * USD per accelerator hour. [real] H100 and H200 $7, B200 $10, B300 $12; [ours] the others from
 * Fireworks' earlier on-demand list. Billed per second.
 */
export const ACCELERATOR_USD_PER_HOUR: Readonly<Record<string, number>> = {
  NVIDIA_A100_80GB: 2.9,
  NVIDIA_H100_80GB: 7,
  NVIDIA_H200_141GB: 7,
  NVIDIA_B200_180GB: 10,
  NVIDIA_B300_288GB: 12,
  AMD_MI300X_192GB: 4.99,
  NVIDIA_L4_24GB: 0.8,
}
