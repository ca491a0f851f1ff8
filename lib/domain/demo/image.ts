import { createRandom, randomInt, seedFromString, type Random } from "../random";

import { composeScene, insideShape, shapeCentre, type Rgb, type Scene, type ScenePart } from "./image-scene";

/**
 * Offline demo image models: RGB rasters of the prompt's main subject in simple shapes (see
 * image-scene.ts: "a lighthouse on a cliff at sunset" is a striped tower with a lamp and a beam on
 * a rock above the sea, under a sunset sky), each style painting the same scene its own way: flat
 * cut-paper shapes, stripes, pixel art, rings. Colour words choose the palette ("ocean" → blues);
 * deterministic for (style, prompt, persona context, battle seed). Pure: the PNG encoding (deflate)
 * happens in the server adapter.
 */
export type DemoImageStyle = "geometric" | "gradient-stripes" | "pixel-mosaic" | "concentric";

export const DEMO_IMAGE_STYLES: readonly DemoImageStyle[] = ["geometric", "gradient-stripes", "pixel-mosaic", "concentric"];

export function isDemoImageStyle(value: string): value is DemoImageStyle {
  return (DEMO_IMAGE_STYLES as readonly string[]).includes(value);
}

export type { Rgb };

/** Row-major RGB, 3 bytes per pixel: `rgb.length === width * height * 3`. */
export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

const PALETTES: Array<{ words: RegExp; colours: Rgb[] }> = [
  { words: /\b(ocean|sea|water|wave|blue|sky|lake|river)s?\b/i, colours: [[10, 40, 110], [20, 90, 170], [60, 150, 210], [150, 210, 240], [235, 245, 255]] },
  { words: /\b(forest|tree|green|leaf|leaves|jungle|grass|garden)s?\b/i, colours: [[15, 50, 20], [30, 100, 40], [80, 150, 60], [160, 200, 110], [230, 240, 200]] },
  { words: /\b(sunset|sunrise|orange|autumn|warm|peach)s?\b/i, colours: [[90, 20, 60], [200, 60, 60], [245, 130, 50], [255, 190, 90], [255, 235, 180]] },
  { words: /\b(fire|red|lava|volcano|blood|rose)s?\b/i, colours: [[50, 0, 0], [140, 10, 10], [220, 40, 20], [250, 120, 30], [255, 220, 120]] },
  { words: /\b(night|space|star|galaxy|dark|moon|purple)s?\b/i, colours: [[5, 5, 20], [30, 20, 70], [80, 40, 140], [150, 110, 210], [240, 230, 255]] },
  { words: /\b(desert|sand|beach|dune|gold|golden)s?\b/i, colours: [[110, 70, 30], [180, 130, 70], [220, 180, 110], [240, 215, 160], [255, 245, 220]] },
  { words: /\b(snow|ice|winter|frost|white|cold)s?\b/i, colours: [[60, 80, 110], [130, 160, 190], [190, 215, 235], [225, 238, 248], [250, 252, 255]] },
  { words: /\b(flower|pink|spring|blossom|candy|love)s?\b/i, colours: [[90, 20, 70], [190, 60, 130], [240, 120, 180], [250, 190, 215], [255, 240, 245]] },
];

function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const sector = (((hue % 360) + 360) % 360) / 60;
  const second = chroma * (1 - Math.abs((sector % 2) - 1));
  const [r, g, b] =
    sector < 1 ? [chroma, second, 0] : sector < 2 ? [second, chroma, 0] : sector < 3 ? [0, chroma, second] : sector < 4 ? [0, second, chroma] : sector < 5 ? [second, 0, chroma] : [chroma, 0, second];
  const offset = lightness - chroma / 2;
  return [Math.round((r + offset) * 255), Math.round((g + offset) * 255), Math.round((b + offset) * 255)];
}

/** Five colours, dark to light. Keyword palettes win; otherwise an analogous palette around a seeded hue. */
export function paletteForPrompt(prompt: string, random: Random): Rgb[] {
  const match = PALETTES.find((palette) => palette.words.test(prompt));
  if (match) return match.colours;
  const hue = random() * 360;
  return [0.15, 0.3, 0.5, 0.7, 0.88].map((lightness, index) => hslToRgb(hue + index * 25, 0.55 + random() * 0.35, lightness));
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

function setPixel(image: RgbImage, x: number, y: number, colour: Rgb): void {
  const offset = (y * image.width + x) * 3;
  image.rgb[offset] = Math.round(colour[0]);
  image.rgb[offset + 1] = Math.round(colour[1]);
  image.rgb[offset + 2] = Math.round(colour[2]);
}

/** The scene at a point (fractions of the canvas): the background, or the topmost part covering it. */
function sceneAt(scene: Scene, fx: number, fy: number): { colour: Rgb; part: ScenePart | null } {
  const horizon = scene.ground?.horizon ?? 1;
  let colour = fy < horizon || !scene.ground ? mix(scene.sky[0], scene.sky[1], Math.min(1, fy / horizon)) : mix(scene.ground.far, scene.ground.colour, (fy - horizon) / (1 - horizon));
  let part: ScenePart | null = null;
  for (const candidate of scene.parts) {
    if (insideShape(candidate.shape, fx, fy)) {
      colour = candidate.colour;
      part = candidate;
    }
  }
  return { colour, part };
}

/** Flat colours and crisp edges, like cut paper. */
function paintGeometric(image: RgbImage, scene: Scene): void {
  for (let y = 0; y < image.height; y++) for (let x = 0; x < image.width; x++) setPixel(image, x, y, sceneAt(scene, (x + 0.5) / image.width, (y + 0.5) / image.height).colour);
}

/** Diagonal stripes through the background, shaded bands across every shape. */
function paintGradientStripes(image: RgbImage, scene: Scene, random: Random): void {
  const angle = (0.15 + random() * 0.3) * Math.PI;
  const stripe = 0.025 + random() * 0.03;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const fx = (x + 0.5) / image.width;
      const fy = (y + 0.5) / image.height;
      const { colour, part } = sceneAt(scene, fx, fy);
      const band = Math.floor((part ? fx * sin - fy * cos : fx * cos + fy * sin) / stripe) % 2 === 0;
      setPixel(image, x, y, band ? colour : mix(colour, part ? BLACK : WHITE, part ? 0.18 : 0.22));
    }
  }
}

/** The scene sampled on a coarse grid, like pixel art, with a thin darker grout between tiles. */
function paintPixelMosaic(image: RgbImage, scene: Scene, random: Random): void {
  const cells = 24 + randomInt(random, 16);
  const cell = Math.max(1, Math.min(image.width, image.height) / cells);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const cx = (Math.floor(x / cell) + 0.5) * cell;
      const cy = (Math.floor(y / cell) + 0.5) * cell;
      const { colour } = sceneAt(scene, Math.min(0.999, cx / image.width), Math.min(0.999, cy / image.height));
      const grout = cell >= 4 && (x % cell < 1 || y % cell < 1);
      setPixel(image, x, y, grout ? mix(colour, BLACK, 0.25) : colour);
    }
  }
}

/** Rings radiating from a point in the sky behind the subject, and ring-shaded shapes. */
function paintConcentric(image: RgbImage, scene: Scene, random: Random): void {
  const ox = 0.3 + random() * 0.4;
  const oy = 0.2 + random() * 0.3;
  const ring = 0.04 + random() * 0.03;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const fx = (x + 0.5) / image.width;
      const fy = (y + 0.5) / image.height;
      const { colour, part } = sceneAt(scene, fx, fy);
      const [px, py] = part ? shapeCentre(part.shape) : [ox, oy];
      const distance = Math.hypot(fx - px, fy - py) / (part ? ring * 0.4 : ring);
      const t = distance - Math.floor(distance);
      setPixel(image, x, y, mix(colour, part ? WHITE : mix(colour, WHITE, 0.5), part ? 0.25 * t : 0.35 * t * t));
    }
  }
}

const PAINTERS: Record<DemoImageStyle, (image: RgbImage, scene: Scene, random: Random) => void> = {
  geometric: paintGeometric,
  "gradient-stripes": paintGradientStripes,
  "pixel-mosaic": paintPixelMosaic,
  concentric: paintConcentric,
};

/** Deterministic for equal inputs; different prompts, personas or styles give different images. */
export function renderDemoImage(style: DemoImageStyle, prompt: string, personaContext: string | null, width = 512, height = 512, seed = 0): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > 2048 || height > 2048) {
    throw new RangeError(`Demo image size must be 1..2048 pixels per side, got ${width}x${height}`);
  }
  const random = createRandom(seedFromString(`${seed}\u0000${style}\u0000${prompt}\u0000${personaContext ?? ""}`));
  const image: RgbImage = { width, height, rgb: new Uint8Array(width * height * 3) };
  PAINTERS[style](image, composeScene(prompt, paletteForPrompt(prompt, random), random), random);
  return image;
}
