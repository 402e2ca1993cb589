/**
 * zod/mini's `object`, parsed by the code zod generates for an object's shape ($ZodObjectJIT, what
 * classic zod's `z.object` uses) instead of its generic loop over the shape: a group message's
 * request is validated in ~0.6 µs instead of ~1.6 (docs/benchmarks-history.md). zod/mini leaves the
 * generated parser out for code that may not call `new Function`; zod checks for that itself
 * (`util.allowsEval`) and parses generically there.
 */
import { $constructor, $ZodObjectJIT, type $strip, type $ZodLooseShape, type $ZodObjectDef } from 'zod/v4/core';
import { ZodMiniType, type ZodMiniObject } from 'zod/mini';

type Init = (inst: ZodMiniObject, def: $ZodObjectDef) => void;
const initJitParser: Init = $ZodObjectJIT.init;
const initMiniType: Init = ZodMiniType.init;

/** zod/mini's ZodMiniObject (the same name, so `instanceof z.ZodMiniObject` holds) on the generated parser. */
const ZodMiniJitObject = $constructor('ZodMiniObject', (inst: ZodMiniObject, def: $ZodObjectDef) => {
  initJitParser(inst, def);
  initMiniType(inst, def);
  Object.defineProperty(inst, 'shape', { value: def.shape });
});

/** As zod/mini's `z.object`: the same type, unknown keys stripped. */
export function object<const T extends $ZodLooseShape>(shape: T): ZodMiniObject<T, $strip> {
  return new ZodMiniJitObject({ type: 'object', shape }) as unknown as ZodMiniObject<T, $strip>;
}
