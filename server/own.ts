/**
 * A table lookup by a key that came from outside (a query parameter, a fixture field, a model
 * name): only the table's own entries count, so `constructor` or `__proto__` find nothing
 * instead of Object.prototype's members.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}
