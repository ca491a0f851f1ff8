import { inflateSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { renderDemoImage } from "@/lib/domain/demo/image";
import { sniffImage } from "@/lib/server/providers/media-validation";
import { crc32, encodePng } from "@/lib/server/providers/png";

function readChunks(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Array<{ type: string; data: Uint8Array; crc: number; crcInput: Uint8Array }> = [];
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    chunks.push({
      type,
      data: png.subarray(offset + 8, offset + 8 + length),
      crc: view.getUint32(offset + 8 + length),
      crcInput: png.subarray(offset + 4, offset + 8 + length),
    });
    offset += 12 + length;
  }
  return chunks;
}

describe("encodePng", () => {
  const image = renderDemoImage("pixel-mosaic", "castle", null, 40, 30);
  const png = encodePng(image);
  const chunks = readChunks(png);

  it("starts with the PNG signature", () => {
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it("has IHDR, IDAT and IEND chunks in order", () => {
    expect(chunks.map((chunk) => chunk.type)).toEqual(["IHDR", "IDAT", "IEND"]);
  });

  it("declares the size, 8-bit depth and RGB colour type", () => {
    const header = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset, 13);
    expect([header.getUint32(0), header.getUint32(4), chunks[0].data[8], chunks[0].data[9]]).toEqual([40, 30, 8, 2]);
  });

  it("has a correct CRC on every chunk", () => {
    for (const chunk of chunks) expect(chunk.crc).toBe(crc32(chunk.crcInput));
  });

  it("inflates back to the pixel rows, each prefixed by filter 0", () => {
    const raw = inflateSync(chunks[1].data);
    expect(raw.length).toBe(30 * (40 * 3 + 1));
    for (let y = 0; y < 30; y++) {
      expect(raw[y * 121]).toBe(0);
      expect(Buffer.from(raw.subarray(y * 121 + 1, (y + 1) * 121))).toEqual(Buffer.from(image.rgb.subarray(y * 120, (y + 1) * 120)));
    }
  });

  it("is recognised by the image validator with its dimensions", () => {
    expect(sniffImage(png)).toEqual({ mime: "image/png", width: 40, height: 30 });
  });
});

describe("crc32", () => {
  it("matches the standard check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
  });
});
