/** The value for key from the cache, computed and kept on first use; the cache starts over when it reaches max entries. */
export function remember<K, V>(cache: Map<K, V>, max: number, key: K, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= max) cache.clear();
    value = compute();
    cache.set(key, value);
  }
  return value;
}
