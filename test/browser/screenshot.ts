// npm run screenshot: the README's picture of the explorer, made with the browser tests'
// launcher on the default world at a pinned clock (so the picture changes only when the page,
// the world or the port does), and the page's transfer size: every file it loads that is not an API
// answer, as sent (the server does not compress) and as gzip would send it.
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { buildApp } from '../../server/app.js'
import { configWith } from '../../server/config.js'
import { launchBrowser, POLL } from './browser.js'

const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), 'screenshots', 'explorer.png')

const app = buildApp(configWith({ logLevel: 'silent', now: Date.parse('2026-06-10T12:00:00Z') }))
// port 8080, as `npm start` (the request shown on the page names it), else any free port
const base = await app.listen({ port: 8080, host: '127.0.0.1' }).catch(() => app.listen({ port: 0, host: '127.0.0.1' }))
// a fixed locale, so that the picture's numbers read the same whatever the machine's
const browser = await launchBrowser({ locale: 'en_US.UTF-8' })
try {
  const page = await browser.newPage({ width: 1280, height: 860 })
  const files: { url: string; bytes: number; gzip: number }[] = []
  const measured: Promise<void>[] = []
  page.on('response', response => {
    const url = new URL(response.url())
    if (!url.protocol.startsWith('http') || url.pathname.startsWith('/v1/') || url.pathname.startsWith('/_mock/'))
      return
    measured.push(
      response
        .buffer()
        .then(
          body => void files.push({ url: url.pathname, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length }),
        ),
    )
  })
  await page.goto(`${base}/explorer`, { waitUntil: 'networkidle0' })
  await page.waitForFunction(() => document.body.dataset.state === 'ready', POLL)
  await Promise.all(measured)
  // point at a weekday, so the legend shows that day's values
  const point = await page.evaluate(() => {
    const { chart } = (globalThis as any).explorer
    const box = chart.over.getBoundingClientRect()
    return { x: box.left + chart.valToPos(1, 'x'), y: box.top + box.height - 20 }
  })
  await page.mouse.move(point.x, point.y)
  await mkdir(dirname(OUTPUT), { recursive: true })
  await page.screenshot({ path: OUTPUT })
  console.log(`wrote ${OUTPUT}`)
  console.table(files)
  const sum = (key: 'bytes' | 'gzip') => files.reduce((total, f) => total + f[key], 0)
  console.log(`page transfer size: ${sum('bytes')} bytes as served (no compression), ${sum('gzip')} bytes gzipped`)
} finally {
  await browser.close()
  await app.close()
}
