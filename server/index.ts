// The package's in-process API: start the mock inside a Node test suite, drive it directly,
// and give each parallel test its own session (mock.session(name)).
//
//   import { startMockServer } from 'fireworks-usage-mock'
//   const mock = await startMockServer({ now: '2026-06-01T00:00:00Z', fixtures: 'test/fixtures' })
//   ... point the client at mock.url ...
//   await mock.close()

import { buildApp } from './app.js'
import { configFromOptions, type Config, type OptionValue } from './config.js'
import { parseFixtures } from './data/fixtures.js'
import { parseUsageLag } from './data/lag.js'
import { checkSessionName, type Session } from './mock/sessions.js'
import type { JournalEntry, JournalFilter } from './mock/journal.js'
import { readyInfo, removeReadyFile, writeReadyFile } from './ready-file.js'
import { parseRfc3339 } from './time.js'

export { buildApp, type AppDeps } from './app.js'
export { ConfigError, loadConfig, type Config } from './config.js'
export { buildWorld, loadWorld, type World } from './data/world.js'
export type { JournalEntry } from './mock/journal.js'
export { FixtureError } from './data/fixtures.js'

/**
 * Any setting of the README's table, camelCased, with the text its flag takes (`rateLimit:
 * '2/s'`) or a number or boolean; `now` may also be a Date or epoch milliseconds. Defaults: a
 * free port, no logs. An unknown option or a bad value throws, naming it.
 */
export type MockServerOptions = { [K in Exclude<keyof Config, 'now'>]?: OptionValue } & {
  now?: number | string | Date | null
}

/** What a test drives: the whole server's default session, or one named session. */
export interface MockSessionHandle {
  /** The base URL to give a client: e.g. http://127.0.0.1:41234, or .../_sessions/worker-3 */
  url: string
  /** Records, accounts, clock, usage lag, journal, faults and limits back to the start-up state. */
  reset(): void
  /** Pins the clock (RFC 3339, Date or epoch ms); null returns to the configured clock. */
  setNow(now: string | Date | number | null): void
  /**
   * Sets the usage lag, as USAGE_LAG takes it (`'2h/26h'`, `'0'`); null returns to the start-up
   * one. A bad value throws, naming the rule.
   */
  setUsageLag(lag: string | null): void
  /** Adds fixture-format entries (objects, or NDJSON text); all or nothing, throws FixtureError. */
  addRecords(entries: object[] | string): void
  /** The journal, newest first. */
  requests(filter?: JournalFilter): JournalEntry[]
}

export interface MockSession extends MockSessionHandle {
  name: string
  /** Drops the session (a later use creates it afresh). */
  close(): Promise<void>
}

export interface MockServer extends MockSessionHandle {
  /** Stops the server. */
  close(): Promise<void>
  /** A named session, created on first use: its own clock, records, faults, journal and limits. */
  session(name: string): MockSession
}

function toMs(now: string | Date | number): number {
  if (typeof now === 'number') return now
  if (now instanceof Date) return now.getTime()
  const instant = parseRfc3339(now)
  if (!instant) throw new Error(`not an RFC 3339 timestamp: ${now}`)
  return instant.ms
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { now, ...rest } = options
  const nowText = now === undefined || now === null || typeof now === 'string' ? now : new Date(toMs(now)).toISOString()
  const config = configFromOptions({ ...rest, now: nowText }, { port: '0', logLevel: 'silent' })
  const app = buildApp(config)
  const url = await app.listen({ port: config.port, host: config.host })
  const { readyFile } = config
  if (readyFile !== null)
    try {
      writeReadyFile(readyFile, readyInfo(url))
    } catch (err) {
      await app.close()
      throw err
    }
  const { sessions } = app.mock
  const handle = (base: string, sessionOf: () => Session): MockSessionHandle => ({
    url: base,
    reset: () => sessionOf().reset(),
    setNow: value => (value === null ? sessionOf().clock.unpin() : sessionOf().clock.pin(toMs(value))),
    setUsageLag: lag => {
      let parsed = null
      try {
        if (lag !== null) parsed = parseUsageLag(lag)
      } catch (err) {
        throw new Error(`invalid usage lag ${JSON.stringify(lag)}: ${(err as Error).message}`)
      }
      sessionOf().setUsageLag(parsed)
    },
    addRecords: entries => {
      const { store } = sessionOf()
      const text = typeof entries === 'string' ? entries : entries.map(e => JSON.stringify(e)).join('\n')
      const known = new Set(store.accounts().map(a => a.account))
      store.load(parseFixtures([{ path: 'addRecords', text, format: 'ndjson' }], known))
    },
    requests: filter => sessionOf().journal.list(filter),
  })
  return {
    ...handle(url, () => sessions.default),
    close: async () => {
      await app.close()
      if (readyFile !== null) removeReadyFile(readyFile)
    },
    session: name => {
      checkSessionName(name, 'mock.session(name)')
      return {
        ...handle(`${url}/_sessions/${name}`, () => sessions.get(name)),
        name,
        close: async () => {
          sessions.drop(name)
        },
      }
    },
  }
}
