// The price list: published USD prices converted by hand to nano-USD (USD x 10^9) per token,
// per audio second and per accelerator hour, and the training tiers by model size.
import t from 'tap'
import {
  acceleratorNanoPerHour,
  isFreeRft,
  modelPrice,
  parametersB,
  trainerNanoPerHour,
  trainingTokenNano,
} from '../../server/data/prices.js'
import { modelName } from '../fixture-records.js'

t.test('a published price per 1M tokens becomes nano-USD per token', async t => {
  // $0.95 per 1M tokens = 0.95 x 10^9 nano-USD / 10^6 tokens = 950 nano-USD per token
  t.same(modelPrice(modelName('kimi-k2p6')), { kind: 'tokens', input: 950, cachedInput: 160, output: 4000 })
  t.same(modelPrice(modelName('deepseek-v3p1')), { kind: 'tokens', input: 560, cachedInput: 280, output: 1680 })
  t.same(modelPrice(modelName('glm-4p7')), { kind: 'tokens', input: 600, cachedInput: 300, output: 2200 })
  // $0.015 per 1M cached tokens is 15 nano-USD per token
  t.same(modelPrice(modelName('gpt-oss-120b')), { kind: 'tokens', input: 150, cachedInput: 15, output: 600 })
  t.same(modelPrice(modelName('gpt-oss-20b')), { kind: 'tokens', input: 70, cachedInput: 35, output: 300 })
})

t.test('per-size tiers price input and output alike, cached input at half', async t => {
  const tier = (model: string) => modelPrice(modelName(model))
  t.same(tier('llama-v3p3-70b-instruct'), { kind: 'tokens', input: 900, cachedInput: 450, output: 900 })
  t.same(tier('qwen3-vl-30b-a3b'), { kind: 'tokens', input: 500, cachedInput: 250, output: 500 })
  t.same(tier('mixtral-8x22b-instruct'), { kind: 'tokens', input: 1200, cachedInput: 600, output: 1200 })
  t.same(tier('llama-v3p1-8b-instruct'), { kind: 'tokens', input: 200, cachedInput: 100, output: 200 })
  t.same(tier('llama-v3p2-3b-instruct'), { kind: 'tokens', input: 100, cachedInput: 50, output: 100 })
})

t.test('whisper-v3 is priced per audio second', async t => {
  // $0.0015 per minute / 60 = $0.000025 per second = 25,000 nano-USD
  t.same(modelPrice(modelName('whisper-v3')), { kind: 'audio', perSecond: 25_000 })
})

t.test('a model is found only by its full accounts/fireworks/models/ name', async t => {
  t.equal(modelPrice('kimi-k2p6'), undefined, 'the bare id is not a model name')
  t.equal(modelPrice('accounts/acme/models/kimi-k2p6'), undefined, "another account's model")
  t.equal(modelPrice(modelName('kimi-k2p6-extra')), undefined, 'no prefix matching of ids')
  t.equal(modelPrice(modelName('no-such-model')), undefined)
  t.equal(modelPrice(''), undefined)
})

t.test('names of Object.prototype members are not models or accelerators', async t => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    t.equal(modelPrice(modelName(name)), undefined, `model ${name}`)
    t.equal(parametersB(modelName(name)), undefined, `parameters of ${name}`)
    t.equal(trainingTokenNano(modelName(name)), 0, `training tokens of ${name}`)
    t.equal(acceleratorNanoPerHour(name), 0, `accelerator ${name}`)
  }
})

t.test('accelerator prices per hour in nano-USD', async t => {
  t.equal(acceleratorNanoPerHour('NVIDIA_H100_80GB'), 7_000_000_000)
  t.equal(acceleratorNanoPerHour('NVIDIA_H200_141GB'), 7_000_000_000)
  t.equal(acceleratorNanoPerHour('NVIDIA_B200_180GB'), 10_000_000_000)
  t.equal(acceleratorNanoPerHour('NVIDIA_B300_288GB'), 12_000_000_000)
  t.equal(acceleratorNanoPerHour('NVIDIA_A100_80GB'), 2_900_000_000)
  // $4.99 and $0.80: no floating-point residue in the integer
  t.equal(acceleratorNanoPerHour('AMD_MI300X_192GB'), 4_990_000_000)
  t.equal(acceleratorNanoPerHour('NVIDIA_L4_24GB'), 800_000_000)
  t.equal(acceleratorNanoPerHour('NVIDIA_X1000'), 0, 'an unknown accelerator rates at 0')
  t.equal(acceleratorNanoPerHour(''), 0)
})

t.test('training tokens are priced by model size on each side of 16B, 80B and 300B', async t => {
  // $0.50, $3, $6, $10 per 1M tokens = 500, 3,000, 6,000, 10,000 nano-USD per token
  const cases: [string, number, number][] = [
    ['llama-v3p2-3b-instruct', 3, 500],
    ['llama-v3p1-8b-instruct', 8, 500],
    ['qwen3-8b', 8, 500],
    ['gpt-oss-20b', 21, 3000], // the smallest model above 16B
    ['qwen3-vl-30b-a3b', 30, 3000],
    ['llama-v3p3-70b-instruct', 70, 3000],
    ['qwen2p5-72b-instruct', 72, 3000], // the largest model up to 80B
    ['gpt-oss-120b', 117, 6000], // the smallest above 80B, and the largest up to 300B
    ['deepseek-v3p1', 671, 10000], // above 300B
    ['kimi-k2p6', 1000, 10000],
  ]
  for (const [model, billions, nano] of cases) {
    t.equal(parametersB(modelName(model)), billions, `${model}: ${billions}B`)
    t.equal(trainingTokenNano(modelName(model)), nano, `${model}: ${nano} nano-USD per token`)
  }
  t.equal(trainingTokenNano(modelName('glm-4p7')), 0, 'a model of unknown size rates at 0')
  t.equal(trainingTokenNano('qwen3-8b'), 0, 'the bare id is not a model name')
})

t.test('trainer GPU time: RFT under 16B is free, everything else costs the accelerator', async t => {
  const H100 = 'NVIDIA_H100_80GB'
  t.equal(trainerNanoPerHour('RFT', modelName('llama-v3p1-8b-instruct'), H100), 0)
  t.equal(trainerNanoPerHour('RFT', modelName('llama-v3p2-3b-instruct'), 'NVIDIA_B200_180GB'), 0)
  t.equal(trainerNanoPerHour('RFT', modelName('gpt-oss-20b'), H100), 7_000_000_000, '21B is not under 16B')
  t.equal(trainerNanoPerHour('RFT', modelName('kimi-k2p6'), 'NVIDIA_B200_180GB'), 10_000_000_000)
  t.equal(trainerNanoPerHour('RFT', modelName('glm-4p7'), H100), 7_000_000_000, 'an unknown size is not small')
  t.equal(trainerNanoPerHour('RLOR_TRAINER', modelName('llama-v3p1-8b-instruct'), H100), 7_000_000_000)
  t.equal(trainerNanoPerHour('SFT', modelName('qwen3-8b'), 'NVIDIA_H200_141GB'), 7_000_000_000)
  t.equal(trainerNanoPerHour('RLOR_TRAINER', modelName('kimi-k2p6'), 'NVIDIA_X1000'), 0, 'unknown accelerator')
})

t.test('isFreeRft: RFT jobs of models under 16B parameters, and only those', async t => {
  t.equal(isFreeRft('RFT', modelName('llama-v3p1-8b-instruct')), true)
  t.equal(isFreeRft('RFT', modelName('llama-v3p2-3b-instruct')), true)
  t.equal(isFreeRft('RFT', modelName('gpt-oss-20b')), false, '21B')
  t.equal(isFreeRft('RFT', modelName('glm-4p7')), false, 'size unknown')
  t.equal(isFreeRft('RFT', ''), false)
  t.equal(isFreeRft('SFT', modelName('llama-v3p1-8b-instruct')), false)
  t.equal(isFreeRft('RLOR_TRAINER', modelName('qwen3-8b')), false)
})
