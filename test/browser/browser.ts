// A real headless browser for tests and scripts: puppeteer-core driving the Chromium build that
// the npm package @sparticuz/chromium ships (unpacked to /tmp on first use), so nothing is
// downloaded beyond the npm registry. Each launch gets a fresh profile folder, removed on close.

import chromium from '@sparticuz/chromium'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  /** A new page with a fixed viewport and a fixed locale, so numbers and dates read the same everywhere. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>
  close(): Promise<void>
}

export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'fwmock-chromium-'))
  const browser = await puppeteer.launch({
    executablePath: await chromium.executablePath(),
    args: [...chromium.args.filter(flag => !DROPPED_FLAGS.has(flag)), '--lang=en-US'],
    headless: 'shell',
    userDataDir,
    // Chromium takes its locale from the environment; a POSIX locale ("en-US@posix") is a
    // language tag that Intl, and so uPlot, rejects.
    env: { ...process.env, LANG: 'en_US.UTF-8', LANGUAGE: 'en_US', LC_ALL: 'en_US.UTF-8' },
    // tap runs the test files in parallel on two cores: a busy machine answers slowly, but a
    // browser call that hangs fails the test well before tap's own timeout.
    protocolTimeout: 30_000,
  })
  return {
    browser,
    async newPage(viewport = { width: 1280, height: 900 }) {
      const page = await browser.newPage()
      await page.setViewport(viewport)
      page.setDefaultTimeout(20_000)
      return page
    },
    async close() {
      await browser.close()
      await rm(userDataDir, { recursive: true, force: true })
    },
  }
}
