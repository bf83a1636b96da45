// A real headless browser for tests and scripts: puppeteer-core driving the Chromium build that
// the npm package @sparticuz/chromium ships (unpacked to /tmp on first use), so nothing is
// downloaded beyond the npm registry. Each launch gets a fresh profile folder, removed on close.

import chromium from '@sparticuz/chromium'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rename, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'

// @sparticuz/chromium's flags are tuned for one-page serverless functions; --single-process
// makes a browser with several pages or contexts fragile, so it is left out. Its flags already
// include --no-sandbox (we run as root here, and in CI) and --headless='shell'.
const DROPPED_FLAGS = new Set(['--single-process'])

/**
 * For waitForFunction: check every 50 ms instead of on each animation frame, which a page that
 * is not in front may not get.
 */
export const POLL = { polling: 50 } as const

export interface TestBrowser {
  browser: Browser
  /** A new page with a fixed viewport. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>
  close(): Promise<void>
}

/**
 * The environment of the browser's process: this process's own, or with `locale` (a POSIX locale
 * name: `en_US.UTF-8`, `C`). Chromium's headless shell takes navigator.language from the first
 * of LC_ALL, LC_MESSAGES and LANG that is set, as POSIX orders them; LANGUAGE and its --lang
 * flag change nothing there. Under C, C.UTF-8, POSIX or none it reports "en-US@posix", a tag
 * Intl rejects (measured, Chromium 143).
 */
function browserEnv(locale: string | undefined): Record<string, string | undefined> {
  return locale === undefined ? process.env : { ...process.env, LC_ALL: locale, LANG: locale }
}

/**
 * The unpacked browser, shared by every process of the machine. @sparticuz/chromium unpacks into
 * /tmp and says the binary is there as soon as the file exists, while it is still being written:
 * two test files starting at once got ETXTBSY (spawning a file open for writing). So each process
 * that finds no finished copy unpacks into a folder of its own (TMPDIR pointed there for the
 * call) and renames it into place, which is atomic; a process that loses the race drops its copy.
 */
async function chromiumPath(): Promise<string> {
  // The package exports no package.json: it is two folders above its entry point (build/cjs/).
  const main = createRequire(import.meta.url).resolve('@sparticuz/chromium')
  const pkg = join(dirname(main), '..', '..', 'package.json')
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }
  const final = join(tmpdir(), `fwmock-chromium-${version}`)
  const binary = join(final, 'chromium')
  if (existsSync(binary)) return binary
  const staging = await mkdtemp(join(tmpdir(), 'fwmock-chromium-unpack-'))
  const saved = process.env.TMPDIR
  process.env.TMPDIR = staging
  try {
    await chromium.executablePath()
  } finally {
    if (saved === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = saved
  }
  try {
    await rename(staging, final)
  } catch {
    // another process renamed its copy first (the target exists and is not empty)
    await rm(staging, { recursive: true, force: true })
  }
  return binary
}

export async function launchBrowser({ locale }: { locale?: string } = {}): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'fwmock-chromium-'))
  const browser = await puppeteer.launch({
    executablePath: await chromiumPath(),
    args: chromium.args.filter(flag => !DROPPED_FLAGS.has(flag)),
    headless: 'shell',
    userDataDir,
    env: browserEnv(locale),
    // No time limits of puppeteer's own (0 is none): a busy machine answers slowly, and tap's
    // per-file timeout catches a hang. Here for the launch and each protocol call, and below for
    // each page's waits.
    timeout: 0,
    protocolTimeout: 0,
  })
  return {
    browser,
    async newPage(viewport = { width: 1280, height: 900 }) {
      const page = await browser.newPage()
      await page.setViewport(viewport)
      page.setDefaultTimeout(0)
      return page
    },
    async close() {
      await browser.close()
      await rm(userDataDir, { recursive: true, force: true })
    },
  }
}
