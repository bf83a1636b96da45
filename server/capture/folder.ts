// The fixtures folder is written whole or not at all: the files go to a temporary folder beside
// it, which is then renamed into place (a rename within one file system is atomic), so a
// capture that fails, or a disk that fills, never leaves a folder of half-valid fixtures.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

/** Why `out` cannot receive a capture, or null: it must be new or empty, unless replaced. */
export function outProblem(out: string, replace: boolean): string | null {
  if (!existsSync(out)) return null
  if (!statSync(out).isDirectory()) return `--out ${out} is a file, not a folder`
  if (!replace && readdirSync(out).length > 0)
    return `--out ${out} is not empty (give --replace to replace it with the capture)`
  return null
}

export function writeFolder(out: string, files: readonly { name: string; text: string }[]): void {
  const target = resolve(out)
  mkdirSync(dirname(target), { recursive: true })
  const temp = mkdtempSync(join(dirname(target), `.${basename(target)}.capture-`))
  try {
    for (const f of files) writeFileSync(join(temp, f.name), f.text)
    if (existsSync(target)) {
      const old = `${temp}.old`
      renameSync(target, old)
      renameSync(temp, target)
      rmSync(old, { recursive: true, force: true })
    } else renameSync(temp, target)
  } catch (err) {
    rmSync(temp, { recursive: true, force: true })
    throw err
  }
}
