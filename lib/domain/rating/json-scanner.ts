import { JSON_SCANNER_WASM_BASE64 } from "./json-scanner-wasm";

/**
 * The battle-dump reader's record scanner: a WebAssembly (SIMD) module, ./json-scanner.wat, that
 * validates one JSON object as JSON.parse would and notes where the fields the ratings read are (see
 * the .wat for the exact contract): one record (`scanRecord`, results at index 0 of `results`) or as
 * many consecutive JSONL records as it accepts (`scanLines`, a table of entries). It scans bytes in its own memory: a reader either reads its input
 * straight into `inputArea` or has `place` copy it there.
 *
 * One instance per thread (`jsonScanner()`), shared by that thread's readers: a reader uses it only
 * within a call (nothing of a reader's lives in it between calls), and `inputArea`'s memory is reused
 * by every part a thread reads.
 */
export const SCANNED_MODEL_A_START = 0;
export const SCANNED_MODEL_A_END = 1;
export const SCANNED_MODEL_A_HASH = 2;
export const SCANNED_MODEL_B_START = 3;
export const SCANNED_MODEL_B_END = 4;
export const SCANNED_MODEL_B_HASH = 5;
// 6 and 7: the winner string's contents (the module classifies it: SCANNED_WINNER_CODE).
/** -1 when the record has no tstamp or a null one. */
export const SCANNED_TSTAMP_START = 8;
export const SCANNED_TSTAMP_END = 9;
export const SCANNED_ANONYMOUS = 10;
/** -1 when the record has no conv_metadata (or it was not asked for). */
export const SCANNED_CONV_METADATA_START = 11;
export const SCANNED_CONV_METADATA_END = 12;
/** 0 model_a, 1 model_b, 2 tie, 3 tie (bothbad), 4 both_bad, -1 another value (or none). */
export const SCANNED_WINNER_CODE = 13;
/** scanLines only: the position after the record's line (after its newline). */
export const SCANNED_LINE_NEXT = 14;
/** Where scanLines' entries are in `results` (i32 index of the first), and each one's length. */
export const SCAN_TABLE_INDEX = 256;
export const SCAN_ENTRY_INTS = 16;
const SCAN_TABLE_ENTRIES = 1000;

/** scan flags: the record is a JSONL line (it must end before a newline); note conv_metadata. */
export const SCAN_JSONL_LINE = 1;
export const SCAN_CONV_METADATA = 2;

/** Readable bytes the module needs past the end of its input (it reads 64-byte blocks and 16-byte keys). */
const PADDING = 128;
const PAGE = 64 * 1024;

interface TScannerExports {
  memory: WebAssembly.Memory;
  inputOffset: WebAssembly.Global;
  scanRecord(start: number, end: number, flags: number): number;
  scanLines(start: number, end: number, flags: number): number;
}

let compiled: WebAssembly.Module | null = null;
let threadScanner: JsonScanner | null = null;

/** This thread's scanner (the module is compiled on first use). */
export function jsonScanner(): JsonScanner {
  if (!threadScanner) {
    compiled ??= new WebAssembly.Module(Uint8Array.from(atob(JSON_SCANNER_WASM_BASE64), (character) => character.charCodeAt(0)));
    threadScanner = new JsonScanner(new WebAssembly.Instance(compiled).exports as unknown as TScannerExports);
  }
  return threadScanner;
}

export class JsonScanner {
  private readonly inputOffset: number;
  /** The whole memory as bytes, and the results as i32 (views renewed when the memory grows). */
  memoryBytes: Uint8Array;
  results: Int32Array;

  constructor(private readonly module: TScannerExports) {
    this.inputOffset = module.inputOffset.value as number;
    this.memoryBytes = new Uint8Array(module.memory.buffer);
    this.results = new Int32Array(module.memory.buffer, 0, SCAN_TABLE_INDEX + SCAN_TABLE_ENTRIES * SCAN_ENTRY_INTS);
  }

  /**
   * `length` bytes of the scanner's memory to read input into (the same offset every time: growing it
   * keeps what was in it). Any earlier view of the memory is detached when it grows: take a new one.
   */
  inputArea(length: number): Uint8Array {
    this.reserve(this.inputOffset + length + PADDING);
    return new Uint8Array(this.module.memory.buffer, this.inputOffset, length);
  }

  /** Where bytes[0] is in the memory: the view's own offset when it is an `inputArea` view, else after copying bytes[0, length) in. */
  place(bytes: Uint8Array, length: number): number {
    const buffer = this.module.memory.buffer;
    if (bytes.buffer === buffer && bytes.byteOffset >= this.inputOffset && bytes.byteOffset + length + PADDING <= buffer.byteLength) return bytes.byteOffset;
    this.inputArea(length).set(bytes.subarray(0, length));
    return this.inputOffset;
  }

  /** See json-scanner.wat: the memory position after the object at [start, end), or -1; its fields at results[0…]. */
  scanRecord(start: number, end: number, flags: number): number {
    return this.module.scanRecord(start, end, flags);
  }

  /** See json-scanner.wat: how many JSONL records from `start` it read into the entries at results[SCAN_TABLE_INDEX…]. */
  scanLines(start: number, end: number, flags: number): number {
    return this.module.scanLines(start, end, flags);
  }

  private reserve(bytes: number): void {
    const memory = this.module.memory;
    if (memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
      this.memoryBytes = new Uint8Array(memory.buffer);
      this.results = new Int32Array(memory.buffer, 0, SCAN_TABLE_INDEX + SCAN_TABLE_ENTRIES * SCAN_ENTRY_INTS);
    }
  }
}
