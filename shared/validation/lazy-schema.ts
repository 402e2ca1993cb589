/**
 * A schema built the first time it is used instead of when its module is imported.
 * A callback bundle holds all 52 request schemas and a Lambda instance meets a few commands, and
 * the schemas of the events it publishes are for their consumers: built eagerly they were part of
 * every cold start (docs/benchmarks.md "Cold starts"). The schema's type is the built one, so
 * callers, `z.infer` and `z.output` cannot tell the difference.
 */
import type * as z from 'zod/mini';

const standIns = new WeakSet<object>();
const built = new WeakSet<object>();

export function lazySchema<T extends z.ZodMiniType>(build: () => T): T {
  let schema: T | undefined;
  const real = (): T => {
    if (schema === undefined) {
      schema = build();
      built.add(standIn);
    }
    return schema;
  };
  // Everything is answered by the built schema with itself as `this`: zod defines its methods and
  // caches on the instance, so they must land there, not on the stand-in.
  const standIn: T = new Proxy({} as T, {
    get: (_, key) => Reflect.get(real(), key),
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      // A proxy may not report a property as non-configurable that its (empty) target lacks.
      return descriptor && { ...descriptor, configurable: true };
    },
  });
  standIns.add(standIn);
  return standIn;
}

/** `eager` for a schema not made by lazySchema, else whether it has been built yet: what the cold-start tests check. */
export function lazyState(schema: object): 'eager' | 'unbuilt' | 'built' {
  if (!standIns.has(schema)) return 'eager';
  return built.has(schema) ? 'built' : 'unbuilt';
}
