import superjson, { type SuperJSONResult } from "superjson";
import { describe, expect, it } from "vitest";
import { deserialize, serialize } from "@/lib/trpc/transformer";

/** What reaches the wire: the transformer's envelope as tRPC and the event stream write it. */
const wire = (value: unknown) => JSON.stringify(serialize(value));
const superjsonWire = (value: unknown) => JSON.stringify(superjson.serialize(value));

const side = (text: string) => ({ status: "complete", text, errorKind: null, errorMessage: null, media: null, attempt: 1 });
/** A new battle's view as battle.create and the event stream's `end` send it. */
const battleView = {
  id: "cmbattle0001",
  modality: "text",
  status: "ready",
  personalized: false,
  systemPrompt: null,
  revealed: false,
  models: null,
  turns: [{ index: 0, prompt: "Explain a sorting algorithm briefly.", sides: { a: side("Merge sort splits…"), b: side("Quicksort picks a pivot…") } }],
  vote: null,
  generating: false,
};

class Point {
  constructor(readonly x: number) {}
}

describe("the tRPC transformer", () => {
  it("sends a value superjson annotates nothing in as it is: superjson's bytes, no meta, no copy", () => {
    const envelope = serialize(battleView);
    expect(envelope.json).toBe(battleView);
    expect(envelope).not.toHaveProperty("meta");
    expect(wire(battleView)).toBe(superjsonWire(battleView));
  });

  const annotated: Array<[string, unknown]> = [
    ["a Date deep inside", { ...battleView, vote: { outcome: "a", createdAt: new Date("2026-12-07T10:00:00.000Z") } }],
    ["undefined fields (the vote's empty feedback)", { battleId: "x", feedback: { general: undefined, a: undefined } }],
    ["undefined itself (a mutation returning nothing)", undefined],
    ["NaN", { score: Number.NaN }],
    ["Infinity and -Infinity", [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]],
    ["-0", { delta: -0 }],
    ["a bigint", { votes: 10n }],
    ["a Map and a Set", { byId: new Map([["a", 1]]), ids: new Set(["a"]) }],
    ["a RegExp and a URL", { pattern: /x+/giu, url: new URL("https://example.com/a?b=c") }],
    ["an array with a hole", Object.assign(new Array<number>(3), { 0: 1, 2: 3 })],
    ["an object with a null prototype", Object.assign(Object.create(null) as object, { a: 1 })],
    ["a class instance", { point: new Point(1) }],
    ["an Error", { error: new Error("boom") }],
  ];
  it.each(annotated)("leaves %s to superjson, with the same bytes", (_name, value) => {
    expect(wire(value)).toBe(superjsonWire(value));
    expect(deserialize(JSON.parse(wire(value)))).toEqual(superjson.deserialize(JSON.parse(superjsonWire(value))));
  });

  it("keeps shared and circular references as superjson records them", () => {
    const model = { slug: "m", displayName: "M" };
    const shared = { a: model, b: model };
    expect(serialize(shared).meta?.referentialEqualities).toBeDefined();
    expect(wire(shared)).toBe(superjsonWire(shared));
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    expect(wire(circular)).toBe(superjsonWire(circular));
    const list = [model, model];
    expect(wire(list)).toBe(superjsonWire(list));
  });

  it("refuses the keys superjson refuses (a parsed __proto__), as superjson does", () => {
    const polluted: unknown = JSON.parse('{"a":{"__proto__":{"admin":true}}}');
    expect(() => superjson.serialize(polluted)).toThrow(/prototype pollution/);
    expect(() => serialize(polluted)).toThrow(/prototype pollution/);
  });

  it("gives superjson's bytes for 3,000 random values of every kind it knows", () => {
    let seed = 22;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const shared = { shared: true };
    const leaves: Array<() => unknown> = [
      () => "text",
      () => "",
      () => Math.floor(random() * 1000) - 500,
      () => random(),
      () => true,
      () => null,
      () => undefined,
      () => new Date(1_765_000_000_000 + Math.floor(random() * 1e9)),
      () => Number.NaN,
      () => -0,
      () => 3n,
      () => shared,
    ];
    const make = (depth: number): unknown => {
      const roll = random();
      if (depth > 3 || roll < 0.4) {
        // Special leaves are rare, so most trees are plain JSON (the shortcut) and some are not.
        const plain = random() < 0.97;
        return leaves[plain ? Math.floor(random() * 6) : 6 + Math.floor(random() * (leaves.length - 6))]!();
      }
      const size = Math.floor(random() * 4);
      if (roll < 0.7) return Array.from({ length: size }, () => make(depth + 1));
      return Object.fromEntries(Array.from({ length: size }, (_, index) => [`k${index}.${Math.floor(random() * 3)}`, make(depth + 1)]));
    };
    let plain = 0;
    for (let index = 0; index < 3000; index++) {
      const value = make(0);
      const envelope = serialize(value);
      if (!("meta" in envelope)) plain++;
      expect(JSON.stringify(envelope)).toBe(superjsonWire(value));
      expect(deserialize(JSON.parse(JSON.stringify(envelope)))).toEqual(superjson.deserialize(JSON.parse(superjsonWire(value))));
    }
    // Both branches were exercised.
    expect(plain).toBeGreaterThan(300);
    expect(plain).toBeLessThan(2900);
  });

  it("reads a payload in place: the parsed object itself, its annotations applied", () => {
    const parsed = JSON.parse(superjsonWire({ battleId: "x", outcome: "tie" })) as SuperJSONResult;
    expect(deserialize(parsed)).toBe(parsed.json);
    const dated = deserialize<{ vote: { createdAt: Date } }>(JSON.parse(superjsonWire({ vote: { createdAt: new Date(0) } })));
    expect(dated.vote.createdAt).toEqual(new Date(0));
  });

  it("refuses a meta that would pollute a prototype, as superjson does", () => {
    const payload = '{"json":{"battleId":"x"},"meta":{"referentialEqualities":{"":["__proto__.polluted"]}}}';
    expect(() => deserialize(JSON.parse(payload))).toThrow(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
