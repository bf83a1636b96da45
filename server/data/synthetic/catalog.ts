// What the synthetic world is made of: the names, weights and sizes that the planner draws from.
// [ours] plausible values; names follow contract section 5 (models, accelerators, placements).

import type { Annotations } from '../../model/records.js'
import { pick } from '../hash.js'

export const TEAMS = ['search', 'ads', 'platform', 'research', 'growth', 'support', 'data']
export const PROJECTS = ['chatbot', 'summarizer', 'copilot', 'indexer', 'eval-harness', 'agents', 'translator']
export const ENVIRONMENTS = ['prod', 'staging', 'dev']
export const KEY_PREFIXES = ['svc', 'ci', 'batch', 'app', 'eval', 'etl', 'agent', 'rag', 'notebook']
/**
 * What a key is for, after its prefix (`rag-knowledge`, `ci-smoke`): words chosen by hand, as
 * the names end up in people's dashboards and screenshots (a dictionary's nouns gave
 * `notebook-underpants`). Each is a plain word a team would name a key after.
 */
export const KEY_WORDS = (
  'search billing checkout support onboarding reports analytics insights ingest pipeline indexer ' +
  'crawler summaries translate classifier moderation chat assistant helpdesk docs knowledge catalog ' +
  'inventory pricing orders payments invoices ledger forecast planner scheduler router gateway frontend ' +
  'backend mobile web desktop plugin review feedback survey tagging labeling embeddings reranker ' +
  'retrieval extractor parser ocr transcripts captions meetings email calendar contracts compliance ' +
  'audit alerts monitoring metrics dashboards exports imports sync backfill nightly weekly demo sandbox ' +
  'playground prototype pilot benchmark regression smoke load-test sales marketing research legal ' +
  'finance ops platform infra growth content editor writer coder copilot quiz tutor notes forms ' +
  'workflows'
).split(' ')
/** The middle of a deployment's name (`llama-v3p1-canary-99do`), chosen by hand as KEY_WORDS are. */
export const DEPLOYMENT_WORDS = (
  'primary secondary canary stable nightly prod staging batch online realtime offline backup pilot blue ' +
  'green east west north south alpha beta gamma delta edge core main lite turbo tuned long-context eval ' +
  'shadow'
).split(' ')
export const PLACEMENTS = [
  'US_IOWA_1',
  'US_VIRGINIA_1',
  'EU_FRANKFURT_1',
  'AP_TOKYO_1',
  'GLOBAL',
  'US',
  'EUROPE',
  'APAC',
]
export const DEPLOYMENT_ACCELERATORS: [string, number][] = [
  ['NVIDIA_H100_80GB', 5],
  ['NVIDIA_H200_141GB', 3],
  ['NVIDIA_B200_180GB', 2],
  ['NVIDIA_A100_80GB', 2],
  ['AMD_MI300X_192GB', 1],
  ['NVIDIA_L4_24GB', 1],
]
export const TRAINER_ACCELERATORS = ['NVIDIA_H100_80GB', 'NVIDIA_H200_141GB', 'NVIDIA_B200_180GB']
/** Models that can be fine-tuned, with the training tokens an SFT or DPO job processes per hour. */
export const TUNABLE_MODELS: [string, number][] = [
  ['llama-v3p1-8b-instruct', 30_000_000],
  ['qwen3-8b', 30_000_000],
  ['llama-v3p3-70b-instruct', 6_000_000],
  ['qwen2p5-72b-instruct', 6_000_000],
  ['kimi-k2p6', 2_000_000],
]
export type JobType = 'SFT' | 'DPO' | 'RFT' | 'RLOR_TRAINER'
export const JOB_TYPE_WEIGHTS: [JobType, number][] = [
  ['SFT', 45],
  ['DPO', 20],
  ['RFT', 20],
  ['RLOR_TRAINER', 15],
]
/** How long a job of each type runs, in hours (least, most). */
export const JOB_HOURS: Record<JobType, [number, number]> = {
  SFT: [2, 30],
  DPO: [2, 20],
  RFT: [6, 72],
  RLOR_TRAINER: [12, 120],
}
export const MAX_JOB_HOURS = 120
/**
 * Keys and deployments appear during the world's first 60 days, so a key created in February
 * has no January usage, yet from then on the number of live series is steady: a 31-day query
 * costs the same whether the world is 90 days or five years old.
 */
export const KEY_CREATION_DAYS = 60
/** Peak prompt tokens per hour of the heaviest key, before the account's scale. */
export const PEAK_TOKENS_PER_HOUR = 40_000_000

/** Annotations of a key, deployment or job; some are missing (''), as in real accounts. */
export function annotationsFrom(next: () => number): Annotations {
  return {
    team: next() < 0.85 ? pick(next, TEAMS) : '',
    project: next() < 0.7 ? pick(next, PROJECTS) : '',
    environment: next() < 0.8 ? pick(next, ENVIRONMENTS) : '',
  }
}
