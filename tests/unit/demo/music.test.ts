import { describe, expect, it } from "vitest";

import {
  clampDemoDuration,
  DEMO_SAMPLE_RATE,
  DEMO_TIMBRES,
  encodeWav,
  planMusic,
  synthesizeDemoMusic,
} from "@/lib/domain/demo/music";
import { createRandom } from "@/lib/domain/random";

const ascii = (bytes: Uint8Array, start: number, length: number) => String.fromCharCode(...bytes.subarray(start, start + length));

describe("synthesizeDemoMusic", () => {
  it("offers at least four timbres", () => {
    expect(DEMO_TIMBRES.length).toBeGreaterThanOrEqual(4);
  });

  it.each(DEMO_TIMBRES)("%s produces exactly duration × sample rate samples", (timbre) => {
    expect(synthesizeDemoMusic(timbre, "happy tune", null, 6)).toHaveLength(6 * DEMO_SAMPLE_RATE);
  });

  it.each(DEMO_TIMBRES)("%s is deterministic", (timbre) => {
    expect(synthesizeDemoMusic(timbre, "rainy night", null, 5)).toEqual(synthesizeDemoMusic(timbre, "rainy night", null, 5));
  });

  it.each(DEMO_TIMBRES)("%s is audible and never clips", (timbre) => {
    const samples = synthesizeDemoMusic(timbre, "calm lake", null, 5);
    const peak = samples.reduce((max, sample) => Math.max(max, Math.abs(sample)), 0);
    expect(peak).toBeGreaterThan(10_000);
    expect(peak).toBeLessThanOrEqual(32767);
  });

  it("sounds different per timbre for the same prompt", () => {
    const clips = DEMO_TIMBRES.map((timbre) => Buffer.from(synthesizeDemoMusic(timbre, "summer", null, 5).buffer).toString("base64"));
    expect(new Set(clips).size).toBe(DEMO_TIMBRES.length);
  });

  it("changes with the prompt", () => {
    expect(synthesizeDemoMusic("fm-bell", "a march", null, 5)).not.toEqual(synthesizeDemoMusic("fm-bell", "a waltz", null, 5));
  });
});

describe("planMusic", () => {
  it("makes sad prompts minor and slow", () => {
    const plan = planMusic("a sad song about loss", createRandom(3));
    expect(plan.scale).toBe("minor");
    expect(plan.tempoBpm).toBeLessThan(80);
  });

  it("makes happy prompts major and fast", () => {
    const plan = planMusic("happy dance music", createRandom(3));
    expect(plan.scale).toBe("major");
    expect(plan.tempoBpm).toBeGreaterThan(120);
  });

  it("makes calm prompts pentatonic", () => {
    expect(planMusic("calm music to sleep", createRandom(3)).scale).toBe("pentatonic");
  });
});

describe("clampDemoDuration", () => {
  it("clamps to 5..30 seconds", () => {
    expect(clampDemoDuration(1)).toBe(5);
    expect(clampDemoDuration(12)).toBe(12);
    expect(clampDemoDuration(120)).toBe(30);
    expect(clampDemoDuration(Number.NaN)).toBe(5);
  });
});

describe("encodeWav", () => {
  const samples = Int16Array.from([0, 1000, -1000, 32767, -32768]);
  const wav = encodeWav(samples, 22050);
  const view = new DataView(wav.buffer);

  it("writes a RIFF/WAVE header with PCM 16-bit mono at the sample rate", () => {
    expect(ascii(wav, 0, 4)).toBe("RIFF");
    expect(ascii(wav, 8, 4)).toBe("WAVE");
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(1);
    expect(view.getUint32(24, true)).toBe(22050);
    expect(view.getUint16(34, true)).toBe(16);
  });

  it("declares consistent RIFF and data sizes", () => {
    expect(view.getUint32(4, true)).toBe(wav.length - 8);
    expect(ascii(wav, 36, 4)).toBe("data");
    expect(view.getUint32(40, true)).toBe(samples.length * 2);
  });

  it("stores samples little-endian", () => {
    expect(Array.from({ length: samples.length }, (_, i) => view.getInt16(44 + i * 2, true))).toEqual(Array.from(samples));
  });

  it("encodes a clip whose duration is the requested one", () => {
    const clip = encodeWav(synthesizeDemoMusic("sine-pad", "x", null, 7));
    const clipView = new DataView(clip.buffer);
    expect(clipView.getUint32(40, true) / clipView.getUint32(28, true)).toBe(7);
  });
});
