/**
 * Preloaded last (worker/workflow-bundle-options.ts), inside the sandbox: settles every module preloaded before it.
 *
 * The SDK deep-freezes the preloaded modules, which all workflows then share. zod builds some members on first read (a
 * prototype getter that defines the member on the schema itself: `safeParse`, `_zod.propValues`…); on a frozen schema
 * that first read would throw. Its first parse also rewrites the schema (`_zod.parse`, once it knows the schema is not
 * recursive). So every such getter is read here, and every schema parses once, before the freeze. Not imported anywhere.
 */

/** Every module in the bundle by id (webpack's own name for it), loaded or not. */
declare const __webpack_modules__: Record<string, unknown>;
/** The SDK's module cache for the sandbox: while preloading, it answers the shared modules by id. */
const moduleCache = (globalThis as unknown as { __webpack_module_cache__: Record<string, unknown> }).__webpack_module_cache__;

/** The modules worker/workflow-bundle-options.ts preloads, by webpack's module id (the path in the bundle). */
const PRELOADED = /^\.\/(node_modules\/zod|domain)\//;

const isPrototype = (value: object): boolean =>
  Object.prototype.hasOwnProperty.call(value, 'constructor') &&
  (value as { constructor: { prototype?: unknown } }).constructor.prototype === value;

function readInheritedGetters(value: object): void {
  const prototypeOf = (object: object): object | null => Object.getPrototypeOf(object) as object | null;
  for (let proto = prototypeOf(value); proto && proto !== Object.prototype; proto = prototypeOf(proto)) {
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (descriptor.get) Reflect.get(value, key);
    }
  }
}

type TSchema = { _zod: object; safeParse: (input: unknown) => unknown };

const isSchema = (value: object): value is TSchema => '_zod' in value && typeof (value as { safeParse?: unknown }).safeParse === 'function';

/** Any input does: the rewrite comes before the first check. A refinement that reads the input may throw on it. */
function parseOnce(schema: TSchema): void {
  try {
    schema.safeParse(undefined);
  } catch {
    // The schema is settled all the same.
  }
}

/**
 * zod resets `lastIndex` before every regex check, which a frozen RegExp refuses. The same pattern behind a proxy that
 * declines to be frozen: the SDK's freeze passes over what it cannot freeze. A copy, as zod's own patterns are shared
 * with its exports, which are frozen.
 */
const unfreezable = (pattern: RegExp): RegExp =>
  new Proxy(new RegExp(pattern.source, pattern.flags), {
    preventExtensions: () => false,
    get: (target, key) => {
      const member: unknown = Reflect.get(target, key, target);
      return typeof member === 'function' ? (member.bind(target) as unknown) : member;
    },
    set: (target, key, value) => Reflect.set(target, key, value, target),
  });

function unfreezePatterns(value: object): void {
  for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
    if (descriptor.writable && descriptor.value instanceof RegExp) Reflect.set(value, key, unfreezable(descriptor.value));
  }
}

/** Reads every lazy member and swaps every pattern, all the way down; returns the schemas it met. */
function settle(value: unknown, seen: WeakSet<object>, schemas: TSchema[]): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (!isPrototype(value)) readInheritedGetters(value);
  unfreezePatterns(value);
  if (isSchema(value)) schemas.push(value);
  for (const key of Reflect.ownKeys(value)) settle(Reflect.get(value, key), seen, schemas);
}

const seen = new WeakSet<object>();
const schemas: TSchema[] = [];
for (const id of Object.keys(__webpack_modules__).filter((id) => PRELOADED.test(id))) settle(moduleCache[id], seen, schemas);
// After the swap, so a schema's compiled fast path captures the unfreezable patterns.
schemas.forEach(parseOnce);
