// Configuration: the only reader of process.env and argv. Every setting comes from a CLI flag
// (--port 9000 or --port=9000), else an environment variable (PORT=9000), else its default.
// The result is validated, frozen and passed down; a bad value is a ConfigError naming it.
// The settings themselves (flag, variable, default, parser, help) are the table in settings.ts:
// a setting is one entry there, and Config is derived from that table.

import { columns } from './columns.js'
import { didYouMean } from './did-you-mean.js'
import { SETTINGS, type Setting, type SettingTable } from './settings.js'

/**
 * The settings' values: one field per entry of the table in settings.ts, of the type its parser
 * returns, documented by the entry's doc comment. Config is written nowhere else, so a parser
 * that returns the wrong type is a type error wherever its field is used.
 */
export type Config = { -readonly [K in keyof SettingTable]: ReturnType<SettingTable[K]['parse']> }

export type LogLevel = Config['logLevel']

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function helpText(): string {
  const flagOf = (s: Setting) => `${s.flag}${s.boolean ? '' : ' <value>'}`
  return [
    'Usage: fireworks-usage-mock [options]',
    '       fireworks-usage-mock conformance --account <id> [options]',
    '',
    'A mock of the Fireworks AI account-usage API. Each option can also be set by its environment variable.',
    "The conformance command probes a server instead (the real API by default) against the mock's rules;",
    '`fireworks-usage-mock conformance --help` lists its options.',
    '',
    ...columns([
      ['flag', 'env', 'default', 'meaning'],
      ...SETTINGS.map(s => [flagOf(s), s.env, s.default || '-', s.help]),
      ['--help', '', '', 'print this help'],
    ]),
  ].join('\n')
}

export type ConfigResult = { help: true } | { help: false; config: Config }

/** Parses every setting from its text; `source` names where a text came from, for the error. */
function resolve(textOf: (s: Setting) => { text: string; source: string }): Config {
  const config: Record<string, unknown> = {}
  for (const s of SETTINGS) {
    const { text, source } = textOf(s)
    try {
      config[s.key] = s.parse(text)
    } catch (err) {
      throw new ConfigError(`invalid ${source} ${JSON.stringify(text)}: ${(err as Error).message}`)
    }
  }
  return Object.freeze(config as unknown as Config)
}

export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const fromFlags = new Map<Setting, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--help' || arg === '-h') return { help: true }
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined]
    const setting = SETTINGS.find(s => s.flag === flag)
    if (!setting) {
      const flags = SETTINGS.map(s => s.flag)
      throw new ConfigError(`unknown option ${arg}${didYouMean(flag, flags)} (see --help)`)
    }
    let value = inline
    if (value === undefined) {
      const next = argv[i + 1]
      if (setting.boolean && (next === undefined || next.startsWith('--'))) value = 'true'
      else if (next === undefined) throw new ConfigError(`${flag} needs a value`)
      else value = argv[++i]
    }
    fromFlags.set(setting, value as string)
  }
  const config = resolve(s => {
    const flag = fromFlags.get(s)
    if (flag !== undefined) return { text: flag, source: s.flag }
    const fromEnv = env[s.env]
    return fromEnv !== undefined ? { text: fromEnv, source: s.env } : { text: s.default, source: `${s.env} default` }
  })
  return { help: false, config }
}

/** An in-process option's value: the flag's text, or a number or boolean written as that text. */
export type OptionValue = string | number | boolean | null

/**
 * The in-process API's options (startMockServer): any setting of the table, camelCased, with
 * the same text its flag takes (`rateLimit: '2/s'`), or a number or boolean (`port: 0`,
 * `strictParams: true`); null or '' is the flag's empty value. `defaults` replace the table's
 * defaults. An unknown option or a malformed value throws a ConfigError naming it.
 */
export function configFromOptions(
  options: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, string>> = {},
): Config {
  const keys = SETTINGS.map(s => s.key as string)
  for (const key of Object.keys(options))
    if (!keys.includes(key))
      throw new ConfigError(
        `unknown option ${JSON.stringify(key)}${didYouMean(key, keys)}; the options are ${keys.join(', ')}`,
      )
  return resolve(s => {
    const value = options[s.key]
    if (value === undefined) return { text: defaults[s.key] ?? s.default, source: `option ${s.key} default` }
    if (value === null) return { text: '', source: `option ${s.key}` }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      return { text: String(value), source: `option ${s.key}` }
    throw new ConfigError(
      `invalid option ${s.key}: must be a string, a number or a boolean (as for ${s.flag}), got ${typeof value}`,
    )
  })
}

/** A config for tests and in-process use: the defaults with overrides. */
export function configWith(overrides: Partial<Config> = {}): Config {
  const result = loadConfig([], {})
  if (result.help) throw new Error('unreachable')
  return Object.freeze({ ...result.config, ...overrides })
}
