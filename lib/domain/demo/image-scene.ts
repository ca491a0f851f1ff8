import { randomInt, type Random } from "../random";

/**
 * What a demo image shows: the prompt's main subject built from simple shapes (a lighthouse is a
 * striped tapering tower with a lamp and a beam; a cat a round head with pointed ears), standing in
 * a setting read from the prompt (sea, snow, sand, grass; day, sunset or night). Coordinates are
 * fractions of the canvas (0..1, y down). The styles of image.ts all paint the same scene, each in
 * its own way. Pure; position and size jitter come from `random`.
 */
export type Rgb = readonly [number, number, number];

export type Shape =
  | { kind: "circle"; cx: number; cy: number; r: number }
  | { kind: "ellipse"; cx: number; cy: number; rx: number; ry: number }
  | { kind: "rect"; x0: number; y0: number; x1: number; y1: number }
  | { kind: "polygon"; points: ReadonlyArray<readonly [number, number]> };

export interface ScenePart {
  shape: Shape;
  colour: Rgb;
}

export interface Scene {
  /** Top and horizon colours of the sky. */
  sky: readonly [Rgb, Rgb];
  /** The ground or water below the horizon (fraction of the height), if any. */
  ground: { horizon: number; colour: Rgb; far: Rgb } | null;
  /** Painted in order; later parts cover earlier ones. */
  parts: ScenePart[];
  /** The recognised subject, or null when the prompt named none the demo knows. */
  subject: string | null;
}

export function insideShape(shape: Shape, x: number, y: number): boolean {
  switch (shape.kind) {
    case "circle":
      return (x - shape.cx) ** 2 + (y - shape.cy) ** 2 <= shape.r ** 2;
    case "ellipse":
      return ((x - shape.cx) / shape.rx) ** 2 + ((y - shape.cy) / shape.ry) ** 2 <= 1;
    case "rect":
      return x >= shape.x0 && x <= shape.x1 && y >= shape.y0 && y <= shape.y1;
    case "polygon": {
      let inside = false;
      const points = shape.points;
      for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
        const [xi, yi] = points[i];
        const [xj, yj] = points[j];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    }
  }
}

/** Centre of a shape, for styles that shade parts around it. */
export function shapeCentre(shape: Shape): [number, number] {
  switch (shape.kind) {
    case "circle":
    case "ellipse":
      return [shape.cx, shape.cy];
    case "rect":
      return [(shape.x0 + shape.x1) / 2, (shape.y0 + shape.y1) / 2];
    case "polygon":
      return [shape.points.reduce((sum, [x]) => sum + x, 0) / shape.points.length, shape.points.reduce((sum, [, y]) => sum + y, 0) / shape.points.length];
  }
}

const circle = (cx: number, cy: number, r: number): Shape => ({ kind: "circle", cx, cy, r });
const ellipse = (cx: number, cy: number, rx: number, ry: number): Shape => ({ kind: "ellipse", cx, cy, rx, ry });
const rect = (x0: number, y0: number, x1: number, y1: number): Shape => ({ kind: "rect", x0, y0, x1, y1 });
const polygon = (...points: Array<[number, number]>): Shape => ({ kind: "polygon", points });

const WHITE: Rgb = [245, 245, 240];
const DARK: Rgb = [40, 40, 48];

/** A subject drawn around (x, y) = its base centre, at scale s (1 ≈ a third of the canvas). */
type SubjectBuilder = (x: number, y: number, s: number, random: Random) => ScenePart[];

const SUBJECTS: Array<{ name: string; words: RegExp; builder: SubjectBuilder }> = [
  {
    name: "lighthouse",
    words: /\blighthouses?\b/i,
    builder: (x, y, s) => {
      const h = 0.36 * s;
      const bands: ScenePart[] = [0, 1, 2, 3].map((band) => {
        const top = y - (h * (band + 1)) / 4;
        const bottom = y - (h * band) / 4;
        const half = (at: number) => 0.07 * s - ((y - at) / h) * 0.03 * s;
        return { shape: polygon([x - half(bottom), bottom], [x + half(bottom), bottom], [x + half(top), top], [x - half(top), top]), colour: band % 2 === 0 ? [200, 40, 40] : WHITE };
      });
      return [
        { shape: polygon([x, y - h - 0.04 * s], [x + 0.45, y - h - 0.12 * s], [x + 0.45, y - h + 0.04 * s]), colour: [255, 244, 170] },
        ...bands,
        { shape: rect(x - 0.045 * s, y - h - 0.07 * s, x + 0.045 * s, y - h), colour: [255, 220, 90] },
        { shape: polygon([x - 0.06 * s, y - h - 0.07 * s], [x + 0.06 * s, y - h - 0.07 * s], [x, y - h - 0.13 * s]), colour: DARK },
      ];
    },
  },
  {
    name: "house",
    words: /\b(house|home|cottage|cabin|village|hut)s?\b/i,
    builder: (x, y, s) => [
      { shape: rect(x - 0.16 * s, y - 0.2 * s, x + 0.16 * s, y), colour: [225, 200, 160] },
      { shape: polygon([x - 0.2 * s, y - 0.2 * s], [x + 0.2 * s, y - 0.2 * s], [x, y - 0.38 * s]), colour: [170, 60, 50] },
      { shape: rect(x - 0.04 * s, y - 0.11 * s, x + 0.04 * s, y), colour: [110, 70, 40] },
      { shape: rect(x + 0.07 * s, y - 0.15 * s, x + 0.13 * s, y - 0.09 * s), colour: [250, 230, 140] },
    ],
  },
  {
    name: "boat",
    words: /\b(boat|ship|sail(?:ing|boat)?|yacht|harbou?r)s?\b/i,
    builder: (x, y, s) => [
      { shape: polygon([x - 0.22 * s, y - 0.06 * s], [x + 0.22 * s, y - 0.06 * s], [x + 0.15 * s, y + 0.02 * s], [x - 0.15 * s, y + 0.02 * s]), colour: [120, 60, 40] },
      { shape: rect(x - 0.008 * s, y - 0.42 * s, x + 0.008 * s, y - 0.06 * s), colour: DARK },
      { shape: polygon([x + 0.01 * s, y - 0.4 * s], [x + 0.01 * s, y - 0.09 * s], [x + 0.2 * s, y - 0.09 * s]), colour: WHITE },
      { shape: polygon([x - 0.01 * s, y - 0.33 * s], [x - 0.01 * s, y - 0.09 * s], [x - 0.14 * s, y - 0.09 * s]), colour: [235, 230, 215] },
    ],
  },
  {
    name: "cat",
    words: /\b(cat|kitten|kitty)s?\b/i,
    builder: (x, y, s) => [
      { shape: ellipse(x, y - 0.09 * s, 0.15 * s, 0.1 * s), colour: [90, 90, 100] },
      { shape: circle(x + 0.1 * s, y - 0.23 * s, 0.08 * s), colour: [90, 90, 100] },
      { shape: polygon([x + 0.03 * s, y - 0.27 * s], [x + 0.06 * s, y - 0.36 * s], [x + 0.09 * s, y - 0.29 * s]), colour: [90, 90, 100] },
      { shape: polygon([x + 0.11 * s, y - 0.29 * s], [x + 0.15 * s, y - 0.36 * s], [x + 0.17 * s, y - 0.26 * s]), colour: [90, 90, 100] },
      { shape: circle(x + 0.075 * s, y - 0.24 * s, 0.012 * s), colour: [200, 230, 90] },
      { shape: circle(x + 0.125 * s, y - 0.24 * s, 0.012 * s), colour: [200, 230, 90] },
      { shape: ellipse(x - 0.17 * s, y - 0.16 * s, 0.02 * s, 0.09 * s), colour: [90, 90, 100] },
    ],
  },
  {
    name: "fox",
    words: /\b(fox|foxes|dog|puppy|wolf)\b/i,
    builder: (x, y, s) => [
      { shape: ellipse(x - 0.02 * s, y - 0.1 * s, 0.16 * s, 0.09 * s), colour: [215, 110, 40] },
      { shape: ellipse(x - 0.22 * s, y - 0.1 * s, 0.09 * s, 0.04 * s), colour: [215, 110, 40] },
      { shape: circle(x - 0.3 * s, y - 0.1 * s, 0.03 * s), colour: WHITE },
      { shape: polygon([x + 0.1 * s, y - 0.2 * s], [x + 0.28 * s, y - 0.17 * s], [x + 0.12 * s, y - 0.1 * s]), colour: [225, 120, 50] },
      { shape: polygon([x + 0.1 * s, y - 0.2 * s], [x + 0.12 * s, y - 0.3 * s], [x + 0.16 * s, y - 0.19 * s]), colour: [190, 90, 30] },
      { shape: circle(x + 0.27 * s, y - 0.17 * s, 0.012 * s), colour: DARK },
      { shape: rect(x - 0.1 * s, y - 0.03 * s, x - 0.07 * s, y), colour: DARK },
      { shape: rect(x + 0.06 * s, y - 0.03 * s, x + 0.09 * s, y), colour: DARK },
    ],
  },
  {
    name: "tree",
    words: /\b(tree|forest|woods|oak|pine)s?\b/i,
    builder: (x, y, s) => [
      { shape: rect(x - 0.025 * s, y - 0.18 * s, x + 0.025 * s, y), colour: [110, 70, 40] },
      { shape: circle(x, y - 0.3 * s, 0.16 * s), colour: [50, 130, 60] },
      { shape: circle(x - 0.1 * s, y - 0.22 * s, 0.1 * s), colour: [60, 145, 65] },
      { shape: circle(x + 0.1 * s, y - 0.22 * s, 0.1 * s), colour: [45, 120, 55] },
    ],
  },
  {
    name: "mountain",
    words: /\b(mountains?|peaks?|alps|hills?|volcano)\b/i,
    builder: (x, y, s) => [
      { shape: polygon([x - 0.45 * s, y], [x - 0.1 * s, y - 0.45 * s], [x + 0.25 * s, y]), colour: [110, 110, 125] },
      { shape: polygon([x - 0.2 * s, y - 0.25 * s], [x - 0.1 * s, y - 0.45 * s], [x + 0.0 * s, y - 0.26 * s]), colour: WHITE },
      { shape: polygon([x, y], [x + 0.28 * s, y - 0.32 * s], [x + 0.55 * s, y]), colour: [90, 95, 110] },
      { shape: polygon([x + 0.2 * s, y - 0.23 * s], [x + 0.28 * s, y - 0.32 * s], [x + 0.36 * s, y - 0.23 * s]), colour: WHITE },
    ],
  },
  {
    name: "flower",
    words: /\b(flowers?|rose|tulip|daisy|sunflower|blossom)s?\b/i,
    builder: (x, y, s) => [
      { shape: rect(x - 0.01 * s, y - 0.3 * s, x + 0.01 * s, y), colour: [50, 140, 60] },
      { shape: ellipse(x + 0.06 * s, y - 0.12 * s, 0.06 * s, 0.025 * s), colour: [60, 150, 70] },
      ...[0, 1, 2, 3, 4, 5].map((petal): ScenePart => ({ shape: circle(x + Math.cos((petal * Math.PI) / 3) * 0.07 * s, y - 0.36 * s + Math.sin((petal * Math.PI) / 3) * 0.07 * s, 0.05 * s), colour: [240, 200, 40] })),
      { shape: circle(x, y - 0.36 * s, 0.045 * s), colour: [120, 70, 30] },
    ],
  },
  {
    name: "balloon",
    words: /\b(hot air )?balloons?\b/i,
    builder: (x, y, s) => [
      { shape: circle(x, y - 0.5 * s, 0.17 * s), colour: [220, 60, 60] },
      { shape: ellipse(x, y - 0.5 * s, 0.06 * s, 0.17 * s), colour: [250, 210, 60] },
      { shape: polygon([x - 0.12 * s, y - 0.38 * s], [x + 0.12 * s, y - 0.38 * s], [x + 0.04 * s, y - 0.28 * s], [x - 0.04 * s, y - 0.28 * s]), colour: [220, 60, 60] },
      { shape: rect(x - 0.035 * s, y - 0.26 * s, x + 0.035 * s, y - 0.21 * s), colour: [130, 90, 50] },
    ],
  },
  {
    name: "city",
    words: /\b(city|skyline|town|buildings?|skyscrapers?)\b/i,
    builder: (x, y, s, random) =>
      Array.from({ length: 7 }, (_, index): ScenePart => {
        const left = x - 0.42 * s + index * 0.12 * s;
        const height = (0.18 + random() * 0.3) * s;
        return { shape: rect(left, y - height, left + 0.1 * s, y), colour: index % 2 === 0 ? [70, 75, 95] : [95, 100, 120] };
      }),
  },
  {
    name: "fruit",
    words: /\b(fruit|apples?|oranges?|bowl)\b/i,
    builder: (x, y, s) => [
      { shape: circle(x - 0.09 * s, y - 0.14 * s, 0.08 * s), colour: [210, 40, 40] },
      { shape: circle(x + 0.08 * s, y - 0.15 * s, 0.08 * s), colour: [240, 150, 30] },
      { shape: circle(x, y - 0.24 * s, 0.08 * s), colour: [120, 180, 60] },
      { shape: polygon([x - 0.25 * s, y - 0.12 * s], [x + 0.25 * s, y - 0.12 * s], [x + 0.15 * s, y], [x - 0.15 * s, y]), colour: [150, 110, 70] },
    ],
  },
  {
    name: "fish",
    words: /\bfish(es)?\b/i,
    builder: (x, y, s) => [
      { shape: ellipse(x, y - 0.25 * s, 0.16 * s, 0.08 * s), colour: [250, 140, 40] },
      { shape: polygon([x - 0.14 * s, y - 0.25 * s], [x - 0.26 * s, y - 0.33 * s], [x - 0.26 * s, y - 0.17 * s]), colour: [240, 120, 30] },
      { shape: circle(x + 0.09 * s, y - 0.27 * s, 0.015 * s), colour: DARK },
    ],
  },
  {
    name: "bird",
    words: /\b(birds?|robin|sparrow|eagle|owl|parrot)\b/i,
    builder: (x, y, s) => [
      { shape: ellipse(x, y - 0.3 * s, 0.12 * s, 0.07 * s), colour: [60, 110, 200] },
      { shape: circle(x + 0.11 * s, y - 0.36 * s, 0.05 * s), colour: [60, 110, 200] },
      { shape: polygon([x + 0.15 * s, y - 0.37 * s], [x + 0.21 * s, y - 0.35 * s], [x + 0.15 * s, y - 0.33 * s]), colour: [240, 180, 40] },
      { shape: polygon([x - 0.04 * s, y - 0.32 * s], [x + 0.05 * s, y - 0.3 * s], [x - 0.12 * s, y - 0.45 * s]), colour: [40, 80, 170] },
      { shape: circle(x + 0.12 * s, y - 0.37 * s, 0.01 * s), colour: DARK },
    ],
  },
  {
    name: "car",
    words: /\b(cars?|truck|van|bus)\b/i,
    builder: (x, y, s) => [
      { shape: rect(x - 0.25 * s, y - 0.14 * s, x + 0.25 * s, y - 0.04 * s), colour: [200, 40, 50] },
      { shape: polygon([x - 0.14 * s, y - 0.14 * s], [x + 0.12 * s, y - 0.14 * s], [x + 0.06 * s, y - 0.24 * s], [x - 0.09 * s, y - 0.24 * s]), colour: [190, 35, 45] },
      { shape: rect(x - 0.08 * s, y - 0.22 * s, x + 0.05 * s, y - 0.15 * s), colour: [170, 210, 240] },
      { shape: circle(x - 0.15 * s, y - 0.04 * s, 0.05 * s), colour: DARK },
      { shape: circle(x + 0.15 * s, y - 0.04 * s, 0.05 * s), colour: DARK },
    ],
  },
  {
    name: "cup",
    words: /\b(cup|mug|coffee|tea)s?\b/i,
    builder: (x, y, s) => [
      { shape: circle(x + 0.14 * s, y - 0.15 * s, 0.06 * s), colour: WHITE },
      { shape: circle(x + 0.14 * s, y - 0.15 * s, 0.035 * s), colour: [0, 0, 0] },
      { shape: polygon([x - 0.14 * s, y - 0.28 * s], [x + 0.14 * s, y - 0.28 * s], [x + 0.11 * s, y], [x - 0.11 * s, y]), colour: WHITE },
      { shape: ellipse(x, y - 0.28 * s, 0.14 * s, 0.025 * s), colour: [110, 60, 30] },
    ],
  },
  {
    name: "heart",
    words: /\b(hearts?|love)\b/i,
    builder: (x, y, s) => [
      { shape: circle(x - 0.08 * s, y - 0.33 * s, 0.09 * s), colour: [220, 40, 80] },
      { shape: circle(x + 0.08 * s, y - 0.33 * s, 0.09 * s), colour: [220, 40, 80] },
      { shape: polygon([x - 0.165 * s, y - 0.3 * s], [x + 0.165 * s, y - 0.3 * s], [x, y - 0.1 * s]), colour: [220, 40, 80] },
    ],
  },
  {
    name: "person",
    words: /\b(person|man|woman|child|girl|boy|portrait|people|astronaut)\b/i,
    builder: (x, y, s) => [
      { shape: polygon([x - 0.12 * s, y], [x + 0.12 * s, y], [x + 0.08 * s, y - 0.24 * s], [x - 0.08 * s, y - 0.24 * s]), colour: [60, 100, 170] },
      { shape: circle(x, y - 0.32 * s, 0.075 * s), colour: [230, 190, 150] },
      { shape: ellipse(x, y - 0.38 * s, 0.08 * s, 0.035 * s), colour: [80, 50, 30] },
    ],
  },
  {
    name: "campfire",
    words: /\b(fire|campfire|flames?|hearth)\b/i,
    builder: (x, y, s) => [
      { shape: polygon([x - 0.16 * s, y], [x + 0.16 * s, y], [x, y - 0.4 * s]), colour: [230, 60, 20] },
      { shape: polygon([x - 0.09 * s, y], [x + 0.09 * s, y], [x, y - 0.25 * s]), colour: [250, 170, 30] },
      { shape: rect(x - 0.2 * s, y - 0.03 * s, x + 0.2 * s, y + 0.01 * s), colour: [100, 55, 30] },
    ],
  },
];

const SETTINGS: Array<{ words: RegExp; ground: Rgb; far: Rgb }> = [
  { words: /\b(sea|ocean|lake|river|harbou?r|beach|coast|cliff|boat|ship|sail\w*|fish|waves?|lighthouses?)\b/i, ground: [30, 90, 160], far: [70, 140, 200] },
  { words: /\b(snow\w*|winter|ice|frost)\b/i, ground: [235, 240, 248], far: [210, 222, 238] },
  { words: /\b(desert|sand|dunes?)\b/i, ground: [225, 190, 120], far: [235, 210, 150] },
  { words: /\b(city|skyline|street|road|cars?)\b/i, ground: [80, 80, 90], far: [110, 110, 120] },
  { words: /\b(table|kitchen|room|windowsill|indoors?|cup|mug|coffee|tea|fruit|bowl)\b/i, ground: [150, 105, 65], far: [170, 125, 80] },
];

function sky(prompt: string, palette: readonly Rgb[]): readonly [Rgb, Rgb] {
  if (/\b(night|stars?|starry|moon|space|galaxy)\b/i.test(prompt)) return [[10, 12, 40], [45, 45, 100]];
  if (/\b(sunset|sunrise|dusk|dawn|evening)\b/i.test(prompt)) return [[90, 60, 140], [250, 160, 80]];
  if (/\b(storm|stormy|rain|rainy|fog)\b/i.test(prompt)) return [[90, 95, 110], [160, 165, 175]];
  return [palette[3], palette[4]];
}

/** The scene for a prompt; `palette` (dark → light) colours the sky and unknown subjects. */
export function composeScene(prompt: string, palette: readonly Rgb[], random: Random): Scene {
  const subject = SUBJECTS.find((entry) => entry.words.test(prompt)) ?? null;
  const setting = SETTINGS.find((entry) => entry.words.test(prompt));
  const horizon = 0.62 + random() * 0.1;
  const ground = { horizon, colour: setting?.ground ?? palette[1], far: setting?.far ?? palette[2] };
  const parts: ScenePart[] = [];
  if (/\b(night|stars?|starry|space)\b/i.test(prompt)) {
    for (let star = 0; star < 14; star++) parts.push({ shape: circle(random(), random() * horizon * 0.8, 0.004 + random() * 0.004), colour: [255, 250, 220] });
  }
  if (/\b(moon|night)\b/i.test(prompt)) parts.push({ shape: circle(0.8, 0.17, 0.07), colour: [240, 235, 200] });
  else if (/\b(sun|sunny|sunset|sunrise|summer|noon)\b/i.test(prompt)) parts.push({ shape: circle(0.2 + random() * 0.6, horizon - 0.1, 0.09), colour: [255, 210, 80] });
  if (/\b(cliff|rocks?)\b/i.test(prompt)) parts.push({ shape: polygon([0.15, horizon + 0.05], [0.85, horizon + 0.05], [0.75, horizon - 0.12], [0.25, horizon - 0.12]), colour: [110, 100, 90] });
  if (subject) {
    const x = 0.42 + random() * 0.16;
    const base = /\b(cliff|rocks?)\b/i.test(prompt) ? horizon - 0.12 : horizon + 0.12 + random() * 0.06;
    const scale = (0.9 + random() * 0.25) * (subject.name === "balloon" || subject.name === "bird" ? 1 : 1.15);
    parts.push(...subject.builder(x, Math.min(0.95, base), scale, random));
  } else {
    // An unknown subject: a few simple objects in the palette's colours, grouped on the ground.
    const count = 3 + randomInt(random, 4);
    for (let index = 0; index < count; index++) {
      const cx = 0.2 + random() * 0.6;
      const size = 0.06 + random() * 0.1;
      const colour = palette[randomInt(random, 3)];
      const kind = randomInt(random, 3);
      const cy = horizon + 0.1 - size;
      parts.push({ shape: kind === 0 ? circle(cx, cy, size) : kind === 1 ? rect(cx - size, cy - size, cx + size, cy + size) : polygon([cx - size, cy + size], [cx + size, cy + size], [cx, cy - size]), colour });
    }
  }
  return { sky: sky(prompt, palette), ground, parts, subject: subject?.name ?? null };
}
