import { createRandom, randomInt, seedFromString, type Random } from "../random";

/**
 * Offline demo image models: deterministic RGB rasters from (style, prompt, persona context). Colour
 * words in the prompt choose the palette ("ocean" → blues, "sunset" → oranges); other prompts get a
 * palette derived from their seed. Pure: the PNG encoding (deflate) happens in the server adapter.
 */
export type DemoImageStyle = "geometric" | "gradient-stripes" | "pixel-mosaic" | "concentric";

export const DEMO_IMAGE_STYLES: readonly DemoImageStyle[] = ["geometric", "gradient-stripes", "pixel-mosaic", "concentric"];

export function isDemoImageStyle(value: string): value is DemoImageStyle {
  return (DEMO_IMAGE_STYLES as readonly string[]).includes(value);
}

export type Rgb = readonly [number, number, number];

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

function setPixel(image: RgbImage, x: number, y: number, colour: Rgb): void {
  const offset = (y * image.width + x) * 3;
  image.rgb[offset] = Math.round(colour[0]);
  image.rgb[offset + 1] = Math.round(colour[1]);
  image.rgb[offset + 2] = Math.round(colour[2]);
}

function paintGeometric(image: RgbImage, palette: Rgb[], random: Random): void {
  const { width, height } = image;
  const shapes = Array.from({ length: 6 + randomInt(random, 6) }, () => ({
    kind: randomInt(random, 3),
    cx: random() * width,
    cy: random() * height,
    size: (0.08 + random() * 0.25) * Math.min(width, height),
    colour: palette[1 + randomInt(random, palette.length - 1)],
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let colour = mix(palette[0], palette[1], y / height);
      for (const shape of shapes) {
        const dx = x - shape.cx;
        const dy = y - shape.cy;
        const inside =
          shape.kind === 0
            ? dx * dx + dy * dy <= shape.size * shape.size
            : shape.kind === 1
              ? Math.abs(dx) <= shape.size && Math.abs(dy) <= shape.size * 0.6
              : dy <= shape.size && dy >= -shape.size && Math.abs(dx) <= (shape.size - dy) / 2;
        if (inside) colour = shape.colour;
      }
      setPixel(image, x, y, colour);
    }
  }
}

function paintGradientStripes(image: RgbImage, palette: Rgb[], random: Random): void {
  const { width, height } = image;
  const angle = random() * Math.PI;
  const stripeWidth = 12 + randomInt(random, 40);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = (x * cos + y * sin) / (width + height);
      const base = mix(palette[0], palette[3], Math.min(1, Math.max(0, along + 0.3)));
      const stripe = Math.floor((x * -sin + y * cos) / stripeWidth) % 2 === 0;
      setPixel(image, x, y, stripe ? base : mix(base, palette[4], 0.35));
    }
  }
}

function paintPixelMosaic(image: RgbImage, palette: Rgb[], random: Random): void {
  const { width, height } = image;
  const cell = Math.max(4, Math.round(Math.min(width, height) / (8 + randomInt(random, 24))));
  const columns = Math.ceil(width / cell);
  const rows = Math.ceil(height / cell);
  // Mirrored left-right like classic pixel-art sprites.
  const cells = Array.from({ length: rows }, () => Array.from({ length: Math.ceil(columns / 2) }, () => palette[randomInt(random, palette.length)]));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const column = Math.floor(x / cell);
      const mirrored = column < columns / 2 ? column : columns - 1 - column;
      setPixel(image, x, y, cells[Math.floor(y / cell)][Math.max(0, mirrored)]);
    }
  }
}

function paintConcentric(image: RgbImage, palette: Rgb[], random: Random): void {
  const { width, height } = image;
  const cx = width * (0.3 + random() * 0.4);
  const cy = height * (0.3 + random() * 0.4);
  const ringWidth = 10 + randomInt(random, 30);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const distance = Math.hypot(x - cx, y - cy);
      const ring = Math.floor(distance / ringWidth);
      const t = (distance % ringWidth) / ringWidth;
      setPixel(image, x, y, mix(palette[ring % palette.length], palette[(ring + 1) % palette.length], t * t));
    }
  }
}

const PAINTERS: Record<DemoImageStyle, (image: RgbImage, palette: Rgb[], random: Random) => void> = {
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
  PAINTERS[style](image, paletteForPrompt(prompt, random), random);
  return image;
}
