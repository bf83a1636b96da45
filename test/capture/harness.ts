// What the capture tests share: running the command in-process against a server on 127.0.0.1
// with a pinned clock whose sleeps cost no time, and asking the source and the replay the same
// questions.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Test } from 'tap'
import { runCaptureCli } from '../../server/capture/cli.js'
import { startMockServer, type MockServer } from '../../server/index.js'

export const NOW = '2026-11-25T00:00:00Z'
export const INITECH_KEY = 'fw_mockInitechMain01'
export const ACME_KEY = 'fw_mockAcmeProdEng01'

export interface Run {
  code: number
  stdout: string
  stderr: string
  /** Every sleep the client asked for, in ms. */
  sleeps: number[]
  /** Requests that reached fetch. */
  fetched: string[]
}

/** Runs `capture` with the given flags; the clock stands at NOW and moves only by sleeps. */
export async function capture(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  let now = Date.parse(NOW)
  const run: Run = { code: -1, stdout: '', stderr: '', sleeps: [], fetched: [] }
  run.code = await runCaptureCli(argv, {
    stdout: text => (run.stdout += text),
    stderr: text => (run.stderr += text),
    env,
    client: {
      clock: () => now,
      sleep: async ms => {
        run.sleeps.push(ms)
        now += ms
      },
      fetch: (input, init) => {
        run.fetched.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
        return fetch(input, init)
      },
    },
  })
  return run
}

/** The flags that point capture at a server as an account, up to NOW. */
export const from = (url: string, account: string, key: string) => [
  '--target',
  url,
  '--account',
  account,
  '--api-key',
  key,
  '--now',
  NOW,
]

/** The key secrets a capture wrote, by key id. */
export function capturedKeys(folder: string): Map<string, string> {
  const [entry] = JSON.parse(readFileSync(join(folder, 'account.json'), 'utf8')) as [
    { keys: { id: string; secret: string }[] },
  ]
  return new Map(entry.keys.map(k => [k.id, k.secret]))
}

/** A fresh server of the captured folder alone, closed at the end of the test. */
export async function replay(t: Test, folder: string): Promise<MockServer> {
  const server = await startMockServer({ now: NOW, synthetic: 'off', fixtures: folder, validateResponses: true })
  t.teardown(() => server.close())
  return server
}

export async function ask(server: MockServer, key: string, path: string): Promise<unknown> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } })
  const body = await res.text()
  if (res.status !== 200) throw new Error(`${res.status} for ${path}: ${body}`)
  return JSON.parse(body)
}

export interface Side {
  server: MockServer
  account: string
  key: string
}

/** Asks both sides the same question (a path after /v1/accounts/<account>/) and compares the answers whole. */
export async function same(t: Test, source: Side, copy: Side, question: string): Promise<void> {
  const path = (s: Side) => `/v1/accounts/${s.account}/${question}`
  t.same(await ask(copy.server, copy.key, path(copy)), await ask(source.server, source.key, path(source)), question)
}
