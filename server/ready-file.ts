// --ready-file: once the server listens, {"url", "port", "pid"} as one JSON line, so a script
// that started it with --port 0 (a Python suite, a CI step) learns where it listens without
// parsing the banner. Written whole: a temporary file renamed into place, so a reader that sees
// the file reads all of it.

import { renameSync, rmSync, writeFileSync } from 'node:fs'

export interface ReadyInfo {
  url: string
  port: number
  /** The process serving: `kill <pid>` stops it even when npx or npm started it under a shell. */
  pid: number
}

export function readyInfo(url: string): ReadyInfo {
  return { url, port: Number(new URL(url).port), pid: process.pid }
}

export function writeReadyFile(path: string, info: ReadyInfo): void {
  const partial = `${path}.${process.pid}.partial`
  writeFileSync(partial, `${JSON.stringify(info)}\n`)
  renameSync(partial, path)
}

/** Once the server is gone, so that the next start's reader does not find a stale file. */
export function removeReadyFile(path: string): void {
  rmSync(path, { force: true })
}
