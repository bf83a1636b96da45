// Golden bytes: the default seed's generated records and the answers of a few queries (the
// bench's W1, W2 and W3 among them), pinned, so that a refactor, a faster engine or a
// dependency upgrade that changes a single byte is a conscious update of this file.
// To update after a deliberate change: GOLDEN_PRINT=1 npx tap test/golden.test.ts
import { createHash } from 'node:crypto'
import http from 'node:http'
import t from 'tap'
import { buildApp } from '../server/app.js'
import { loadWorld } from '../server/data/world.js'
import { testConfig } from './helpers.js'

const NOW = Date.parse('2026-11-25T00:00:00Z')
const PRINT = process.env.GOLDEN_PRINT === '1'
const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32)

const world = loadWorld({ seed: 20260101, fixtures: null, worldScale: 1 })
// Answers from the engine's hourly sums, and with every record generated for the question.
const app = buildApp(testConfig({ now: NOW, cacheMb: 0 }), { world })
const generating = buildApp(testConfig({ now: NOW, cacheMb: 0, sumsMb: 0 }), { world })
const scaled = buildApp(testConfig({ now: NOW, cacheMb: 0 }), {
  world: loadWorld({ seed: 20260101, fixtures: null, worldScale: 10 }),
})

async function body(server: typeof app, url: string, key = 'fw_mockAcmeProdEng01'): Promise<string> {
  const res = await server.inject({ url, headers: { authorization: `Bearer ${key}` } })
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
  return res.body
}

const USAGE = '/v1/accounts/acme-ai/billingUsage'
const OCTOBER = 'startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z'
const ANSWERS: [string, string, string][] = [
  [
    'W1 dashboard',
    `${USAGE}?startTime=2026-10-01T07:00:00Z&endTime=2026-11-01T07:00:00Z&timezone=America/Los_Angeles&groupBy=model_name`,
    '685497676473b281c4ff10c20b288a92',
  ],
  [
    'W2 API-key breakdown',
    `${USAGE}?${OCTOBER}&usageType=SERVERLESS&groupBy=api_key_id&groupBy=api_key_name&groupBy=model_name&filter[api_key_name][values]=prod-eng&filter[api_key_name][values]=staging-key`,
    'c1b3e6f143b898349edd82e1093a8c42',
  ],
  [
    'W3 six dimensions',
    `${USAGE}?${OCTOBER}&usageType=SERVERLESS&groupBy=model_name&groupBy=api_key_id&groupBy=api_key_name&groupBy=annotations.team&groupBy=annotations.project&groupBy=annotations.environment`,
    'fcb4d0a27a0c8d9b851e44a92ee71eab',
  ],
  [
    'every stream, default grouping, Kathmandu',
    `${USAGE}?${OCTOBER}&timezone=Asia/Kathmandu`,
    'a28465d3c653db889bc7578222fa2443',
  ],
  [
    'dedicated and training by annotations',
    `${USAGE}?startTime=2026-03-01T00:00:00Z&endTime=2026-03-31T00:00:00Z&groupBy=annotations.team&groupBy=accelerator_type&groupBy=job_type&timezone=America/Los_Angeles`,
    '3bc865e7481ea056d65d04cd3c4c0f89',
  ],
  [
    'a window inside the clock hour',
    `${USAGE}?startTime=2026-11-24T00:00:00Z&endTime=2026-11-25T00:30:00Z&groupBy=api_key_name`,
    '4b46d7ab1fe3a0a7e399c0bf9d144c83',
  ],
  [
    'billing summary, daily',
    `/v1/accounts/acme-ai/billing/summary?${OCTOBER}&granularity=DAILY`,
    'eb2f818ef2c552ea84095e9a6db7fec4',
  ],
  ['filter options', `/v1/accounts/acme-ai/accountUsageFilterOptions?${OCTOBER}`, 'b9b177d7ee47808451082178b771bd10'],
  [
    'globex summary',
    `/v1/accounts/globex/billing/summary?startTime=2026-02-01T00:00:00Z&endTime=2026-03-01T00:00:00Z`,
    '3bd15c0b8c532d5257346ffc57473239',
  ],
]

t.test('answers of the default world, byte for byte', async t => {
  for (const [name, url, expected] of ANSWERS) {
    const key = url.includes('/globex/') ? 'fw_mockGlobexProd01' : 'fw_mockAcmeProdEng01'
    const got = sha(await body(app, url, key))
    if (PRINT) console.log(`${name}: '${got}'`)
    else {
      t.equal(got, expected, name)
      t.equal(sha(await body(generating, url, key)), expected, `${name}, every record generated`)
    }
  }
})

t.test('answers in flight together stay intact while writers are reused', async t => {
  // Without the answer cache, an answer is sent from a lent writer's memory, which the next
  // answer reuses once the socket has taken it (finish). Six W3-sized answers (2.4 MB each) wait
  // unread together, more than the kernel's socket buffers take: part of each stays in the server
  // while the others are computed (the test fails when writers go back before finish, checked by
  // hand: 3 runs out of 3). The references come through inject, which copies.
  const six = `${USAGE}?usageType=SERVERLESS&groupBy=model_name&groupBy=api_key_id&groupBy=api_key_name&groupBy=annotations.team&groupBy=annotations.project&groupBy=annotations.environment`
  const big = [
    `${six}&startTime=2026-10-01T00:00:00Z&endTime=2026-11-01T00:00:00Z`,
    `${six}&startTime=2026-09-01T00:00:00Z&endTime=2026-10-01T00:00:00Z`,
    `${six}&startTime=2026-08-01T00:00:00Z&endTime=2026-09-01T00:00:00Z`,
  ]
  const expected = await Promise.all(big.map(async url => sha(await body(generating, url))))
  const server = buildApp(testConfig({ now: NOW, cacheMb: 0 }), { world })
  const base = await server.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => server.close())
  const agent = new http.Agent({ maxSockets: 10 })
  t.teardown(() => agent.destroy())
  // Each response waits unread until every request has its answer's headers.
  let allStarted: () => void = () => {}
  const started = new Promise<void>(resolve => (allStarted = resolve))
  let count = 0
  const get = (url: string) =>
    new Promise<string>((resolve, reject) => {
      http
        .get(base + url, { agent, headers: { authorization: 'Bearer fw_mockAcmeProdEng01' } }, res => {
          res.pause()
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve(sha(Buffer.concat(chunks).toString())))
          if (++count === big.length * 2) allStarted()
          void started.then(() => res.resume())
        })
        .on('error', reject)
    })
  const got = await Promise.all([...big, ...big].map(get))
  t.same(got, [...expected, ...expected])
  t.ok(
    expected.every((e, i) => expected.indexOf(e) === i),
    'the answers differ from each other',
  )
})

t.test('W1 on a world ten times larger, byte for byte', async t => {
  const got = sha(await body(scaled, ANSWERS[0]![1]))
  if (PRINT) console.log(`W1 x10: '${got}'`)
  else t.equal(got, '4a9a6b095e86d8971611f8ec969208c0', 'W1 x10')
})

t.test('generated records of each stream, byte for byte', async t => {
  for (const [stream, expected, first] of [
    [
      'serverless',
      'a2f8bcf233e903ce927aaf29610190ce',
      '{"kind":"serverless","account":"acme-ai","time":"2026-10-06T13:00:00Z","model":"accounts/fireworks/models/gpt-oss-120b","apiKeyId":"key_AcmeProdEng00001","apiKeyName":"prod-eng","usageType":"TEXT_COMPLETION_INFERENCE_USAGE","promptTokens":16712972,"cachedPromptTokens":0,"completionTokens":4575022,"audioInputSeconds":0,"costNanoUsd":5251959000,"annotations":{"team":"data","project":"copilot","environment":"dev"}}',
    ],
    [
      'dedicated',
      '18833d7021b3e05c2d2b464c6eee7dd9',
      '{"kind":"dedicated","account":"acme-ai","time":"2026-10-06T13:00:00Z","deployment":"accounts/acme-ai/deployments/mixtral-8x7b-secondary-a23i","acceleratorType":"NVIDIA_H100_80GB","acceleratorSeconds":3600,"baseModel":"accounts/fireworks/models/mixtral-8x7b-instruct","placement":"APAC","usageType":"DEDICATED_DEPLOYMENT_USAGE","annotations":{"environment":"dev"}}',
    ],
    [
      'training',
      '159ffe1c984fc9bdc8c6527da1020425',
      '{"kind":"training","account":"acme-ai","time":"2026-10-06T13:00:00Z","jobId":"rft-kry7lgn3dl","jobType":"RFT","usageType":"TRAINER_ACCELERATOR_SECONDS","tokens":0,"acceleratorType":"NVIDIA_B200_180GB","acceleratorSeconds":14400,"baseModel":"accounts/fireworks/models/qwen3-8b","trainingSessionId":"sess-ymacmv8swvuq","annotations":{"project":"translator"}}',
    ],
  ] as const) {
    const res = await app.inject({
      url: `/_mock/records?account=acme-ai&stream=${stream}&startTime=2026-10-06T13:00:00Z&endTime=2026-10-06T15:00:00Z`,
    })
    const lines = res.body.split('\n').filter(Boolean)
    if (PRINT) console.log(`${stream} (${lines.length}): ${lines.slice(0, 2).join('\n')}\n'${sha(res.body)}'`)
    else {
      t.equal(lines[0], first, `${stream}: the first record`)
      t.equal(sha(res.body), expected, `${stream}: every record of two hours`)
    }
  }
})
