// The package's in-process API: start the mock inside a Node test suite, drive it directly.
//
//   import { startMockServer } from 'fireworks-usage-mock'
//   const mock = await startMockServer({ now: '2026-06-01T00:00:00Z', fixtures: 'test/fixtures' })
//   ... point the client at mock.url ...
//   await mock.close()

import { buildApp } from './app.js'
import { configFromOptions, type Config, type OptionValue } from './config.js'
import { parseFixtures } from './data/fixtures.js'
import { resetContext } from './http/context.js'
import type { JournalEntry, JournalFilter } from './mock/journal.js'
import { parseRfc3339 } from './time.js'

export { buildApp, type AppDeps } from './app.js'
export { configWith, ConfigError, loadConfig, type Config } from './config.js'
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

export interface MockServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string
  close(): Promise<void>
  /** Records, accounts, clock, journal, faults and limits back to the start-up state. */
  reset(): void
  /** Pins the clock (RFC 3339, Date or epoch ms); null returns to the configured clock. */
  setNow(now: string | Date | number | null): void
  /** Adds fixture-format entries (objects, or NDJSON text); all or nothing, throws FixtureError. */
  addRecords(entries: object[] | string): void
  /** The journal, newest first. */
  requests(filter?: JournalFilter): JournalEntry[]
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
  const ctx = app.mock
  return {
    url,
    close: () => app.close(),
    reset: () => resetContext(ctx),
    setNow: value => (value === null ? ctx.clock.unpin() : ctx.clock.pin(toMs(value))),
    addRecords: entries => {
      const text = typeof entries === 'string' ? entries : entries.map(e => JSON.stringify(e)).join('\n')
      ctx.store.load(
        parseFixtures(
          [{ path: 'addRecords', text, format: 'ndjson' }],
          new Set(ctx.store.accounts().map(a => a.account)),
        ),
      )
    },
    requests: filter => ctx.journal.list(filter),
  }
}
