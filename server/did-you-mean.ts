// "Did you mean ...?" for a name that is not one of the known ones: a fixture or world.json
// field, a query parameter, a time zone. One rule for all of them: the same name but for letter
// case, `_` and `-` (`groupby`, `start-time`), else the nearest known name within a small edit
// distance (a letter missing, extra, wrong or two swapped: `startime`, `promptToken`, `acount`).

const normal = (name: string) => name.toLowerCase().replace(/[_-]/g, '')

/** Edits allowed: none for names of 1 or 2 characters, one up to 7, two beyond. */
const allowedEdits = (length: number) => (length <= 2 ? 0 : length <= 7 ? 1 : 2)

/** Optimal string alignment distance (Levenshtein plus swapping two neighbours), at most `limit + 1`. */
function distance(a: string, b: string, limit: number): number {
  // A length difference is a lower bound: long or hostile inputs cost nothing.
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let before: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1)
      current.push(d)
    }
    before = previous
    previous = current
  }
  return Math.min(previous[b.length]!, limit + 1)
}

/**
 * The known name `given` was probably meant to be, or undefined. Of equally near names, the one
 * closest as written (`end_tme` is `end_time` rather than `endTime`), then the first.
 * `edits: false` looks only for the same name otherwise spelt.
 */
export function closestName(given: string, known: readonly string[], edits = true): string | undefined {
  const g = normal(given)
  const lower = given.toLowerCase()
  const limit = edits ? allowedEdits(g.length) : 0
  let best: { name: string; d: number; asWritten: number } | undefined
  for (const name of known) {
    if (name === given) continue
    const d = distance(g, normal(name), limit)
    if (d > limit || (best && d > best.d)) continue
    const asWritten = distance(lower, name.toLowerCase(), Infinity)
    if (!best || d < best.d || asWritten < best.asWritten) best = { name, d, asWritten }
  }
  return best?.name
}

/** ` (did you mean "x"?)` to append to a message about `given`, or ''. */
export function didYouMean(given: string, known: readonly string[], edits = true): string {
  const meant = closestName(given, known, edits)
  return meant === undefined ? '' : ` (did you mean ${JSON.stringify(meant)}?)`
}
