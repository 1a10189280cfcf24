/**
 * The map's own entry for a key that came from input, or undefined. A plain lookup would also find what every
 * object inherits (`constructor`, `toString`, `__proto__`), and take it for a route, office or rule.
 */
export function ownEntry<V>(map: Readonly<Partial<Record<string, V>>>, key: string): V | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}
