import superjson, { type SuperJSONResult } from "superjson";

/**
 * The app's wire format for tRPC (both directions, the server in lib/server/api/trpc.ts and the browser's
 * link in lib/trpc/batch-link.ts) and for the battle the event stream's `end` carries: superjson's
 * envelope, `{ json, meta? }`, so Dates, undefined and the like arrive as they left.
 *
 * Most of what the arena sends holds nothing superjson annotates (the battle views of battle.create,
 * battle.vote and the `end`, most inputs): strings, finite numbers, booleans, null, plain objects and
 * arrays, each object reached once. For such a value superjson writes `{ json: <a copy of the value> }` and no `meta`, and
 * that is what `serialize` returns here, without the copy: superjson's walk tests every string against
 * its dozen rules and builds two path arrays per node, 3–4 % of the request thread's samples under the
 * load bench (BENCHMARKS.md, "reqcpu2"). Anything else goes through superjson.serialize itself, so the
 * bytes on the wire are the same either way.
 */
export function serialize(value: unknown): SuperJSONResult {
  return isPlainJson(value, new Set()) ? { json: value as SuperJSONResult["json"] } : superjson.serialize(value);
}

/**
 * superjson.deserialize on the payload as it was parsed (`inPlace`): every payload here is JSON.parse's
 * own fresh result (a request body, an answer, an event), which nothing else holds, so superjson's
 * defensive deep copy of it would only allocate. The meta's checks (no `__proto__`, `constructor` or
 * `prototype` in a path, known types only) are superjson's, unchanged.
 */
export function deserialize<T = unknown>(payload: SuperJSONResult): T {
  return superjson.deserialize<T>(payload, { inPlace: true });
}

/** The transformer tRPC's server and client are configured with. */
export const transformer = { serialize, deserialize };

/**
 * True when superjson would annotate nothing in `value` and copy it as it is: every leaf a string, a
 * boolean, null or a finite number other than -0 (superjson annotates undefined, NaN, ±Infinity and
 * -0), every object a plain one (prototype Object.prototype) or an array without holes, and no object
 * reached twice (superjson records shared and circular references as `referentialEqualities`). Keys
 * superjson refuses (`__proto__`, `constructor`, `prototype`) also answer false, so that it throws.
 */
function isPlainJson(value: unknown, seen: Set<object>): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      if (!(index in value) || !isPlainJson(value[index], seen)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (key === "__proto__" || key === "constructor" || key === "prototype") return false;
    if (!isPlainJson((value as Record<string, unknown>)[key], seen)) return false;
  }
  return true;
}
