import "server-only";

import { providerFailure } from "./failures";
import type { MediaResult } from "./types";

export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_AUDIO_BYTES = 25 * 1024 * 1024;

export interface ImageInfo {
  mime: "image/png" | "image/jpeg" | "image/gif" | "image/webp";
  width: number;
  height: number;
}

export interface AudioInfo {
  mime: "audio/wav" | "audio/mpeg" | "audio/ogg" | "audio/flac";
  durationSeconds?: number;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function jpegDimensions(bytes: Uint8Array, view: DataView): { width: number; height: number } | null {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1];
    const length = view.getUint16(offset + 2);
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    }
    offset += 2 + length;
  }
  return null;
}

function webpDimensions(bytes: Uint8Array, view: DataView): { width: number; height: number } | null {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === "VP8 " && bytes.length >= 30) return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  if (chunk === "VP8L" && bytes.length >= 25) {
    const bits = view.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X" && bytes.length >= 30) {
    const width = 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16));
    const height = 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16));
    return { width, height };
  }
  return null;
}

/** Recognises PNG, JPEG, GIF and WebP by magic bytes and parses their dimensions; null when it cannot. */
export function sniffImage(bytes: Uint8Array): ImageInfo | null {
  if (bytes.length < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let info: ImageInfo | null = null;
  if (bytes.length >= 24 && bytes[0] === 0x89 && ascii(bytes, 1, 3) === "PNG" && ascii(bytes, 12, 4) === "IHDR") {
    info = { mime: "image/png", width: view.getUint32(16), height: view.getUint32(20) };
  } else if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    const size = jpegDimensions(bytes, view);
    info = size && { mime: "image/jpeg", ...size };
  } else if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") {
    info = { mime: "image/gif", width: view.getUint16(6, true), height: view.getUint16(8, true) };
  } else if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP" && bytes.length >= 16) {
    const size = webpDimensions(bytes, view);
    info = size && { mime: "image/webp", ...size };
  }
  return info && info.width > 0 && info.height > 0 ? info : null;
}

function wavDuration(bytes: Uint8Array, view: DataView): number | undefined {
  let byteRate = 0;
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    if (id === "fmt " && offset + 16 <= bytes.length) byteRate = view.getUint32(offset + 16, true);
    if (id === "data") return byteRate > 0 ? Math.min(size, bytes.length - offset - 8) / byteRate : undefined;
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

/** Recognises WAV (with duration), MP3 (ID3 tag or frame sync), Ogg and FLAC; null otherwise. */
export function sniffAudio(bytes: Uint8Array): AudioInfo | null {
  if (bytes.length < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WAVE") {
    const durationSeconds = wavDuration(bytes, view);
    return durationSeconds === undefined ? null : { mime: "audio/wav", durationSeconds };
  }
  if (ascii(bytes, 0, 3) === "ID3" || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0)) return { mime: "audio/mpeg" };
  if (ascii(bytes, 0, 4) === "OggS") return { mime: "audio/ogg" };
  if (ascii(bytes, 0, 4) === "fLaC") return { mime: "audio/flac" };
  return null;
}

/** Accepts the bytes only if they are a decodable image of at most `maxBytes`. */
export function validateImageBytes(bytes: Uint8Array, maxBytes: number, providerLabel: string): MediaResult {
  if (bytes.length === 0) return { ok: false, error: providerFailure("empty", `${providerLabel} returned an empty image`) };
  if (bytes.length > maxBytes) return { ok: false, error: tooLarge(providerLabel, "image", maxBytes) };
  const info = sniffImage(bytes);
  if (!info) return { ok: false, error: providerFailure("bad_response", `${providerLabel} returned data that is not a PNG, JPEG, GIF or WebP image`) };
  return { ok: true, bytes, mime: info.mime, width: info.width, height: info.height };
}

/** Accepts the bytes only if they are a recognised audio container of at most `maxBytes`. */
export function validateAudioBytes(bytes: Uint8Array, maxBytes: number, providerLabel: string): MediaResult {
  if (bytes.length === 0) return { ok: false, error: providerFailure("empty", `${providerLabel} returned empty audio`) };
  if (bytes.length > maxBytes) return { ok: false, error: tooLarge(providerLabel, "audio", maxBytes) };
  const info = sniffAudio(bytes);
  if (!info) return { ok: false, error: providerFailure("bad_response", `${providerLabel} returned data that is not WAV, MP3, Ogg or FLAC audio`) };
  return { ok: true, bytes, mime: info.mime, ...(info.durationSeconds === undefined ? {} : { durationSeconds: info.durationSeconds }) };
}

export function tooLarge(providerLabel: string, what: string, maxBytes: number) {
  return providerFailure("too_large", `${providerLabel} returned ${what} larger than ${Math.round(maxBytes / 1024)} KiB`);
}
