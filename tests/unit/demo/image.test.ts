import { describe, expect, it } from "vitest";

import { DEMO_IMAGE_STYLES, paletteForPrompt, renderDemoImage } from "@/lib/domain/demo/image";
import { composeScene, shapeCentre } from "@/lib/domain/demo/image-scene";
import { createRandom } from "@/lib/domain/random";

function averageColour(rgb: Uint8Array): [number, number, number] {
  const sums = [0, 0, 0];
  for (let i = 0; i < rgb.length; i += 3) for (let c = 0; c < 3; c++) sums[c] += rgb[i + c];
  const pixels = rgb.length / 3;
  return [sums[0] / pixels, sums[1] / pixels, sums[2] / pixels];
}

describe("renderDemoImage", () => {
  it("offers at least four styles", () => {
    expect(DEMO_IMAGE_STYLES.length).toBeGreaterThanOrEqual(4);
  });

  it.each(DEMO_IMAGE_STYLES)("%s fills a width*height*3 RGB buffer", (style) => {
    const image = renderDemoImage(style, "a red fox", null, 64, 48);
    expect(image.rgb).toHaveLength(64 * 48 * 3);
  });

  it.each(DEMO_IMAGE_STYLES)("%s is deterministic", (style) => {
    expect(renderDemoImage(style, "mountain lake", null, 32, 32).rgb).toEqual(renderDemoImage(style, "mountain lake", null, 32, 32).rgb);
  });

  it.each(DEMO_IMAGE_STYLES)("%s changes with the prompt and with the persona", (style) => {
    const base = renderDemoImage(style, "a quiet village", null, 32, 32).rgb;
    expect(renderDemoImage(style, "a busy harbour", null, 32, 32).rgb).not.toEqual(base);
    expect(renderDemoImage(style, "a quiet village", "Age: 18-24", 32, 32).rgb).not.toEqual(base);
  });

  it.each(DEMO_IMAGE_STYLES)("%s is not a single flat colour", (style) => {
    const { rgb } = renderDemoImage(style, "abstract shapes", null, 64, 64);
    const colours = new Set<string>();
    for (let i = 0; i < rgb.length; i += 3) colours.add(`${rgb[i]},${rgb[i + 1]},${rgb[i + 2]}`);
    expect(colours.size).toBeGreaterThan(2);
  });

  it("makes the four styles look different for the same prompt", () => {
    const images = DEMO_IMAGE_STYLES.map((style) => Buffer.from(renderDemoImage(style, "garden", null, 32, 32).rgb).toString("hex"));
    expect(new Set(images).size).toBe(DEMO_IMAGE_STYLES.length);
  });

  it("paints ocean prompts mostly blue", () => {
    const [red, , blue] = averageColour(renderDemoImage("concentric", "the ocean at noon", null, 64, 64).rgb);
    expect(blue).toBeGreaterThan(red);
  });

  it("paints fire prompts mostly red", () => {
    const [red, , blue] = averageColour(renderDemoImage("gradient-stripes", "a fire in the hearth", null, 64, 64).rgb);
    expect(red).toBeGreaterThan(blue);
  });

  it("rejects sizes outside 1..2048", () => {
    expect(() => renderDemoImage("geometric", "x", null, 0, 10)).toThrow(RangeError);
    expect(() => renderDemoImage("geometric", "x", null, 4096, 10)).toThrow(RangeError);
  });
});

describe("paletteForPrompt", () => {
  it("returns five colours for keyword and seeded palettes", () => {
    expect(paletteForPrompt("forest path", createRandom(1))).toHaveLength(5);
    expect(paletteForPrompt("a teapot", createRandom(1))).toHaveLength(5);
  });
});

describe("composeScene", () => {
  const palette = paletteForPrompt("anything", createRandom(1));

  it.each([
    ["A watercolour lighthouse on a cliff at sunset", "lighthouse"],
    ["A red fox in a snowy forest", "fox"],
    ["A cat sleeping on a windowsill", "cat"],
    ["A cozy house with a garden", "house"],
    ["A sailing boat on a calm blue sea", "boat"],
    ["Mountains under a starry night sky", "mountain"],
    ["A hot air balloon over green fields", "balloon"],
  ] as const)("recognises the main subject of %j", (prompt, subject) => {
    expect(composeScene(prompt, palette, createRandom(1)).subject).toBe(subject);
  });

  it("sets the scene from the prompt: sea below a lighthouse, a dark sky at night", () => {
    const lighthouse = composeScene("A lighthouse at noon", palette, createRandom(1));
    expect(lighthouse.ground?.colour[2]).toBeGreaterThan(lighthouse.ground!.colour[0]);
    const night = composeScene("Mountains under a starry night sky", palette, createRandom(1));
    expect(Math.max(...night.sky[0])).toBeLessThan(60);
  });

  it("keeps every part of a known subject on the canvas", () => {
    for (const prompt of ["A watercolour lighthouse on a cliff at sunset", "A cozy house", "A hot air balloon"]) {
      for (const part of composeScene(prompt, palette, createRandom(3)).parts) {
        const [x, y] = shapeCentre(part.shape);
        expect(x).toBeGreaterThanOrEqual(0);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe("demo images depict the subject", () => {
  it.each(DEMO_IMAGE_STYLES)("%s paints a lighthouse's red and white bands in the middle of the picture", (style) => {
    const { rgb, width, height } = renderDemoImage(style, "A lighthouse on a cliff", null, 128, 128, 5);
    let red = 0;
    let white = 0;
    for (let y = 0; y < height; y++) {
      for (let x = Math.floor(width * 0.4); x < Math.ceil(width * 0.6); x++) {
        const [r, g, b] = [rgb[(y * width + x) * 3], rgb[(y * width + x) * 3 + 1], rgb[(y * width + x) * 3 + 2]];
        if (r > 150 && g < 90 && b < 90) red++;
        if (r > 200 && g > 200 && b > 190) white++;
      }
    }
    expect(red).toBeGreaterThan(40);
    expect(white).toBeGreaterThan(40);
  });

  it.each(DEMO_IMAGE_STYLES)("%s varies with the battle seed and reproduces from it", (style) => {
    const one = renderDemoImage(style, "A cat sleeping", null, 48, 48, 1).rgb;
    expect(renderDemoImage(style, "A cat sleeping", null, 48, 48, 2).rgb).not.toEqual(one);
    expect(renderDemoImage(style, "A cat sleeping", null, 48, 48, 1).rgb).toEqual(one);
  });
});
