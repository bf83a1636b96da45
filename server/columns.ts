// The columns of the --help texts: each as wide as its widest entry plus two spaces, so a long
// flag never runs into its description.

export function columns(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map(r => (r[i] ?? '').length)) + 2)
  return rows.map(r =>
    (indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('')).trimEnd(),
  )
}
