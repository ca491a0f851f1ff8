import { describe, expect, it } from "vitest";

import { encodeWav } from "@/lib/domain/demo/music";
import { sniffAudio, sniffImage, validateAudioBytes, validateImageBytes } from "@/lib/server/providers/media-validation";
import { FAKE_PNG_BYTES } from "@/tests/fixtures/fake-providers/server";

const bytes = (...values: number[]) => Uint8Array.from(values);
const pad = (head: Uint8Array, length = 64) => {
  const out = new Uint8Array(length);
  out.set(head);
  return out;
};

describe("sniffImage", () => {
  it("reads PNG dimensions", () => {
    expect(sniffImage(new Uint8Array(FAKE_PNG_BYTES))).toEqual({ mime: "image/png", width: 2, height: 2 });
  });

  it("reads GIF dimensions", () => {
    expect(sniffImage(pad(bytes(0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 10, 0, 20, 0)))).toEqual({ mime: "image/gif", width: 10, height: 20 });
  });

  it("reads JPEG dimensions from the SOF0 marker", () => {
    const jpeg = pad(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 30, 0, 40, 3));
    expect(sniffImage(jpeg)).toEqual({ mime: "image/jpeg", width: 40, height: 30 });
  });

  it("reads lossless WebP dimensions", () => {
    const webp = pad(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f"));
    const view = new DataView(webp.buffer);
    view.setUint32(21, (99 & 0x3fff) | ((49 & 0x3fff) << 14), true);
    expect(sniffImage(webp)).toEqual({ mime: "image/webp", width: 100, height: 50 });
  });

  it("rejects text and truncated data", () => {
    expect(sniffImage(new TextEncoder().encode("<html>not an image</html>"))).toBeNull();
    expect(sniffImage(new Uint8Array(FAKE_PNG_BYTES.subarray(0, 10)))).toBeNull();
  });
});

describe("sniffAudio", () => {
  it("recognises WAV and computes its duration", () => {
    expect(sniffAudio(encodeWav(new Int16Array(22050 * 2)))).toEqual({ mime: "audio/wav", durationSeconds: 2 });
  });

  it.each([
    ["ID3-tagged MP3", pad(new TextEncoder().encode("ID3\u0004")), "audio/mpeg"],
    ["MP3 frame sync", pad(bytes(0xff, 0xfb, 0x90, 0x64)), "audio/mpeg"],
    ["Ogg", pad(new TextEncoder().encode("OggS")), "audio/ogg"],
    ["FLAC", pad(new TextEncoder().encode("fLaC")), "audio/flac"],
  ])("recognises %s", (_name, data, mime) => {
    expect(sniffAudio(data)?.mime).toBe(mime);
  });

  it("rejects a RIFF that is not WAVE, and text", () => {
    expect(sniffAudio(pad(new TextEncoder().encode("RIFF\0\0\0\0AVI ")))).toBeNull();
    expect(sniffAudio(new TextEncoder().encode("just some text, not audio"))).toBeNull();
  });
});

describe("validate media bytes", () => {
  it("accepts a valid image under the limit", () => {
    expect(validateImageBytes(new Uint8Array(FAKE_PNG_BYTES), 1_000, "P")).toMatchObject({ ok: true, mime: "image/png", width: 2 });
  });

  it("reports too_large over the limit", () => {
    expect(validateImageBytes(new Uint8Array(FAKE_PNG_BYTES), 10, "P")).toMatchObject({ ok: false, error: { kind: "too_large" } });
    expect(validateAudioBytes(encodeWav(new Int16Array(1000)), 100, "P")).toMatchObject({ ok: false, error: { kind: "too_large" } });
  });

  it("reports empty for zero bytes and bad_response for junk", () => {
    expect(validateAudioBytes(new Uint8Array(0), 100, "P")).toMatchObject({ ok: false, error: { kind: "empty" } });
    expect(validateImageBytes(new TextEncoder().encode("junk junk junk"), 100, "P")).toMatchObject({ ok: false, error: { kind: "bad_response" } });
  });
});
