import { CONV_METADATA_FIELDS, styleCountsFromMetadata } from "./style-metadata";
import { BattleLogBuilder, type BattleLogPart } from "./battle-log";
import { OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE } from "./types";
import { bytesEqual, CLOSE_BRACKET, COMMA, FAILED, findElementEnd, NEWLINE, numberValue, OPEN_BRACKET, skipWhitespace } from "./json-bytes";
import {
  jsonScanner,
  type JsonScanner,
  SCAN_CONV_METADATA,
  SCAN_JSONL_LINE,
  SCANNED_ANONYMOUS,
  SCANNED_CONV_METADATA_END,
  SCANNED_CONV_METADATA_START,
  SCANNED_MODEL_A_END,
  SCANNED_MODEL_A_HASH,
  SCANNED_MODEL_A_START,
  SCANNED_MODEL_B_END,
  SCANNED_MODEL_B_HASH,
  SCANNED_MODEL_B_START,
  SCANNED_TSTAMP_END,
  SCANNED_TSTAMP_START,
  SCANNED_LINE_NEXT,
  SCANNED_WINNER_CODE,
  SCAN_ENTRY_INTS,
  SCAN_TABLE_INDEX,
} from "./json-scanner";

/**
 * Streaming reader of LMArena-style battle dumps (FastChat clean_battle format): a JSON array of
 * objects or JSONL, each record with `model_a`, `model_b`, `winner` (model_a | model_b | tie |
 * tie (bothbad) | both_bad) and optional `tstamp` (number or null) and `anony` (boolean).
 *
 * - Records with `anony: false` are excluded, as LMArena rates anonymous battles only.
 * - Blank JSONL lines are ignored; a UTF-8 byte order mark at the start is ignored.
 * - A record is invalid when it is not a JSON object, lacks a field, has an unknown winner,
 *   has model_a == model_b, or a tstamp/anony of the wrong type. Invalid records throw
 *   `InvalidBattleRecordError` naming the JSONL line (1-based) or the array element (0-based),
 *   or are counted and skipped with `skipInvalid`. A broken JSON array structure (e.g. a missing
 *   comma between elements) always throws `BattleDumpSyntaxError`: nothing after it can be trusted.
 *
 * Speed: a WebAssembly scanner (./json-scanner.wat: SIMD classification of 64-byte blocks, then a
 * grammar walk over the tokens) validates each record and finds the fields read, without allocating
 * strings; anything it does not accept (a backslash anywhere, deep nesting, a read field of an
 * unexpected type, any error) goes to JSON.parse, which decides. The scanner only accepts input
 * JSON.parse would accept with the same meaning, so both paths give identical results.
 */
export class InvalidBattleRecordError extends Error {
  override name = "InvalidBattleRecordError";
  constructor(
    readonly recordLabel: string,
    readonly reason: string,
  ) {
    super(`${recordLabel}: ${reason}`);
  }
}

export class BattleDumpSyntaxError extends Error {
  override name = "BattleDumpSyntaxError";
}

export interface BattleDumpStats {
  /** Records read as battles. */
  accepted: number;
  /** Valid records left out because `anony` was false. */
  excludedNonAnonymous: number;
  skippedInvalid: number;
  /** The first few skip reasons, for the user. */
  skipReasons: string[];
}

const MAX_SKIP_REASONS = 5;

const WINNER_VALUES = ["model_a", "model_b", "tie", "tie (bothbad)", "both_bad"] as const;
const WINNER_CODES = [OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE, OUTCOME_TIE, OUTCOME_TIE];

export interface BattleDumpReaderOptions {
  skipInvalid?: boolean;
  /** Also keep each battle's style counts from `conv_metadata` (see ./style-metadata.ts) in `styles`. */
  styleMetadata?: boolean;
}

type ArrayState = "open" | "first" | "element" | "separator" | "done";

/** What a reader read, for another reader's `append` (e.g. from another thread). */
export interface TBattleDumpPart {
  format: "jsonl" | "json-array" | null;
  /** JSONL lines read (blank ones included), so that the appending reader's line numbers go on from them. */
  lines: number;
  log: BattleLogPart;
  styles: Float32Array | null;
  stats: BattleDumpStats;
}

/**
 * Incremental reader: feed it a buffer with `consume` and keep the unconsumed tail for the next
 * call (records may straddle chunks). Battles accumulate in `builder` in file order.
 */
export class BattleDumpReader {
  readonly builder = new BattleLogBuilder();
  readonly stats: BattleDumpStats = { accepted: 0, excludedNonAnonymous: 0, skippedInvalid: 0, skipReasons: [] };
  private format: "jsonl" | "json-array" | null = null;
  private arrayState: ArrayState = "open";
  private lineNumber = 0;
  private elementIndex = 0;
  private atFileStart = true;
  private readonly skipInvalid: boolean;
  private readonly decoder = new TextDecoder();
  /** Distinct raw name byte strings seen on the fast path (several may decode to one model). */
  private readonly modelBytes: Uint8Array[] = [];
  private slotHash = new Uint32Array(256);
  private slotModel = new Int32Array(256).fill(-1);
  private slotAlias = new Int32Array(256);

  /** With `styleMetadata`: eight counts per accepted battle, in file order (NaN when absent). */
  styles: Float32Array | null;
  private styleMetadata: unknown = undefined;

  constructor(options: BattleDumpReaderOptions = {}) {
    this.skipInvalid = options.skipInvalid ?? false;
    this.styles = options.styleMetadata ? new Float32Array(CONV_METADATA_FIELDS.length * 1024) : null;
  }

  /** JSONL or a JSON array, decided by the first byte; null before any input. */
  get inputFormat(): "jsonl" | "json-array" | null {
    return this.format;
  }

  /** Everything read so far (see `append`). */
  part(): TBattleDumpPart {
    const styles = this.styles ? this.styles.slice(0, this.stats.accepted * CONV_METADATA_FIELDS.length) : null;
    return { format: this.format, lines: this.lineNumber, log: this.builder.part(), styles, stats: { ...this.stats, skipReasons: this.stats.skipReasons.slice() } };
  }

  /**
   * Appends what another reader read from the rest of the same JSONL input, as if this reader had
   * read it: for a part without invalid records (their labels would count lines from the part's start).
   */
  append(part: TBattleDumpPart): void {
    if (part.stats.skippedInvalid > 0) throw new Error("a part with invalid records cannot be appended");
    if (this.styles) {
      const accepted = this.stats.accepted * CONV_METADATA_FIELDS.length;
      const merged = new Float32Array(accepted + part.styles!.length);
      merged.set(this.styles.subarray(0, accepted));
      merged.set(part.styles!, accepted);
      this.styles = merged;
    }
    this.builder.append(part.log);
    this.lineNumber += part.lines;
    this.stats.accepted += part.stats.accepted;
    this.stats.excludedNonAnonymous += part.stats.excludedNonAnonymous;
  }

  /**
   * Reads every complete record in bytes[0, length) and returns how many bytes it consumed;
   * with `final` the input ends here and everything is consumed (or an error is thrown).
   */
  consume(bytes: Uint8Array, length: number, final: boolean): number {
    let pos = 0;
    if (this.atFileStart) {
      if (length < 3 && !final) return 0;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
      const first = skipWhitespace(bytes, pos, length);
      if (first === length && !final) return 0;
      this.atFileStart = false;
      this.format = bytes[first] === OPEN_BRACKET ? "json-array" : "jsonl";
    }
    const scanner = jsonScanner();
    const base = scanner.place(bytes, length);
    return this.format === "json-array"
      ? this.consumeArray(bytes, base, scanner, pos, length, final)
      : this.consumeLines(bytes, base, scanner, pos, length, final);
  }

  /** bytes[0, length) is at `base` in the scanner's memory. */
  private consumeLines(bytes: Uint8Array, base: number, scanner: JsonScanner, pos: number, length: number, final: boolean): number {
    const flags = SCAN_JSONL_LINE | (this.styles ? SCAN_CONV_METADATA : 0);
    while (pos < length) {
      // Well-formed records ending their lines, up to a table's worth at once.
      const count = scanner.scanLines(base + pos, base + length, flags);
      const results = scanner.results;
      for (let k = 0, at = SCAN_TABLE_INDEX; k < count; k++, at += SCAN_ENTRY_INTS) {
        const next = results[at + SCANNED_LINE_NEXT] - base;
        this.lineNumber++;
        if (!this.acceptScanned(bytes, base, results, at)) this.readRecordChecked(bytes, pos, next - 1, `line ${this.lineNumber}`);
        pos = next;
      }
      if (count > 0) continue;
      // The line at pos is not one of those: the last one without a newline, a blank one, or one for JSON.parse.
      const recordEnd = scanner.scanRecord(base + pos, base + length, flags);
      if (recordEnd >= 0) {
        let after = recordEnd - base;
        while (after < length && (bytes[after] === 0x20 || bytes[after] === 0x09 || bytes[after] === 0x0d)) after++;
        if ((after < length ? bytes[after] === NEWLINE : final) && this.acceptScanned(bytes, base, scanner.results, 0)) {
          this.lineNumber++;
          pos = after + 1;
          continue;
        }
      }
      let lineEnd = bytes.indexOf(NEWLINE, pos);
      if (lineEnd < 0 || lineEnd >= length) {
        if (!final) return pos;
        lineEnd = length;
      }
      this.lineNumber++;
      if (skipWhitespace(bytes, pos, lineEnd) < lineEnd) {
        this.readRecordChecked(bytes, pos, lineEnd, `line ${this.lineNumber}`);
      }
      pos = lineEnd + 1;
    }
    return length;
  }

  private consumeArray(bytes: Uint8Array, base: number, scanner: JsonScanner, pos: number, length: number, final: boolean): number {
    const flags = this.styles ? SCAN_CONV_METADATA : 0;
    for (;;) {
      pos = skipWhitespace(bytes, pos, length);
      if (pos >= length) {
        if (final && this.arrayState !== "done") throw new BattleDumpSyntaxError("the JSON array is not closed");
        return length;
      }
      const byte = bytes[pos];
      switch (this.arrayState) {
        case "open":
          this.arrayState = "first";
          pos++;
          break;
        case "first":
          if (byte === CLOSE_BRACKET) {
            this.arrayState = "done";
            pos++;
            break;
          }
          this.arrayState = "element";
          break;
        case "element": {
          // A well-formed record is the whole element (its closing brace is where findElementEnd would stop).
          const recordEnd = scanner.scanRecord(base + pos, base + length, flags);
          if (recordEnd >= 0 && this.acceptScanned(bytes, base, scanner.results, 0)) {
            pos = recordEnd - base;
          } else {
            const elementEnd = findElementEnd(bytes, pos, length);
            if (elementEnd === FAILED) {
              if (!final) return pos;
              throw new BattleDumpSyntaxError(`element ${this.elementIndex}: the JSON array ends inside this element`);
            }
            this.readRecordChecked(bytes, pos, elementEnd, `element ${this.elementIndex}`);
            pos = elementEnd;
          }
          this.elementIndex++;
          this.arrayState = "separator";
          break;
        }
        case "separator":
          if (byte === COMMA) this.arrayState = "element";
          else if (byte === CLOSE_BRACKET) this.arrayState = "done";
          else throw new BattleDumpSyntaxError(`after element ${this.elementIndex - 1}: expected "," or "]"`);
          pos++;
          break;
        case "done":
          throw new BattleDumpSyntaxError("unexpected content after the end of the JSON array");
      }
    }
  }

  /** Reads the record through JSON.parse, which decides; an invalid one throws or, with skipInvalid, is counted. */
  private readRecordChecked(bytes: Uint8Array, start: number, end: number, label: string): void {
    try {
      this.readRecordParsed(bytes, start, end, label);
    } catch (error) {
      if (!(error instanceof InvalidBattleRecordError) || !this.skipInvalid) throw error;
      this.stats.skippedInvalid++;
      if (this.stats.skipReasons.length < MAX_SKIP_REASONS) this.stats.skipReasons.push(error.message);
    }
  }

  /**
   * A record the scanner accepted (its fields at results[at…], positions in the scanner's memory,
   * where bytes[0] is at `base`), as a battle, when the fields read are as expected; false (nothing
   * read) when JSON.parse must decide. Model names are looked up only now that the record is known valid.
   */
  private acceptScanned(bytes: Uint8Array, base: number, results: Int32Array, at: number): boolean {
    const winner = results[at + SCANNED_WINNER_CODE];
    if (winner < 0 || results[at + SCANNED_MODEL_A_START] < 0 || results[at + SCANNED_MODEL_B_START] < 0) return false;
    const modelAStart = results[at + SCANNED_MODEL_A_START] - base;
    const modelAEnd = results[at + SCANNED_MODEL_A_END] - base;
    const modelBStart = results[at + SCANNED_MODEL_B_START] - base;
    const modelBEnd = results[at + SCANNED_MODEL_B_END] - base;
    if (modelAStart === modelAEnd || modelBStart === modelBEnd) return false;
    const modelAHash = results[at + SCANNED_MODEL_A_HASH] >>> 0;
    const modelBHash = results[at + SCANNED_MODEL_B_HASH] >>> 0;
    if (modelAHash === modelBHash && bytesEqual(bytes, modelAStart, modelAEnd, bytes.subarray(modelBStart, modelBEnd))) return false;
    let timestamp: number | undefined;
    if (results[at + SCANNED_TSTAMP_START] >= 0) {
      timestamp = numberValue(bytes, results[at + SCANNED_TSTAMP_START] - base, results[at + SCANNED_TSTAMP_END] - base);
      if (!Number.isFinite(timestamp)) return false;
    }
    this.styleMetadata = undefined;
    if (this.styles && results[at + SCANNED_CONV_METADATA_START] >= 0) {
      // Only with --style-control: one small JSON.parse of this value per battle.
      try {
        this.styleMetadata = JSON.parse(this.decoder.decode(bytes.subarray(results[at + SCANNED_CONV_METADATA_START] - base, results[at + SCANNED_CONV_METADATA_END] - base)));
      } catch {
        return false;
      }
    }
    const modelA = this.modelIndexOfBytes(bytes, modelAStart, modelAEnd, modelAHash);
    const modelB = this.modelIndexOfBytes(bytes, modelBStart, modelBEnd, modelBHash);
    this.addBattle(modelA, modelB, WINNER_CODES[winner], timestamp, results[at + SCANNED_ANONYMOUS] === 1);
    return true;
  }

  private readRecordParsed(bytes: Uint8Array, start: number, end: number, label: string): void {
    const invalid = (reason: string) => new InvalidBattleRecordError(label, reason);
    let record: unknown;
    try {
      record = JSON.parse(this.decoder.decode(bytes.subarray(start, end)));
    } catch (error) {
      throw invalid(`not valid JSON (${(error as Error).message})`);
    }
    if (typeof record !== "object" || record === null || Array.isArray(record)) throw invalid("not a JSON object");
    const fields = record as Record<string, unknown>;
    for (const field of ["model_a", "model_b", "winner"]) {
      if (!(field in fields)) throw invalid(`missing field "${field}"`);
      if (typeof fields[field] !== "string" || fields[field] === "") throw invalid(`"${field}" must be a non-empty string`);
    }
    const winner = WINNER_VALUES.indexOf(fields.winner as (typeof WINNER_VALUES)[number]);
    if (winner < 0) {
      throw invalid(`winner ${JSON.stringify(fields.winner)} is not one of ${WINNER_VALUES.join(", ")}`);
    }
    if (fields.model_a === fields.model_b) throw invalid(`model_a and model_b are both "${String(fields.model_a)}"`);
    const tstamp = fields.tstamp;
    if (tstamp !== undefined && tstamp !== null && (typeof tstamp !== "number" || !Number.isFinite(tstamp))) {
      throw invalid(`"tstamp" must be a number`);
    }
    if (fields.anony !== undefined && typeof fields.anony !== "boolean") throw invalid(`"anony" must be true or false`);
    this.styleMetadata = fields.conv_metadata;
    this.addBattle(
      this.builder.modelIndex(fields.model_a as string),
      this.builder.modelIndex(fields.model_b as string),
      WINNER_CODES[winner],
      typeof tstamp === "number" ? tstamp : undefined,
      fields.anony !== false,
    );
  }

  private addBattle(modelA: number, modelB: number, outcome: number, timestamp: number | undefined, anonymous: boolean) {
    if (!anonymous) {
      this.stats.excludedNonAnonymous++;
      return;
    }
    if (this.styles) {
      const offset = this.stats.accepted * CONV_METADATA_FIELDS.length;
      if (offset + CONV_METADATA_FIELDS.length > this.styles.length) {
        const larger = new Float32Array(this.styles.length * 2);
        larger.set(this.styles);
        this.styles = larger;
      }
      styleCountsFromMetadata(this.styleMetadata, this.styles, offset);
    }
    this.stats.accepted++;
    this.builder.push(modelA, modelB, outcome, timestamp);
  }

  /**
   * Model index for raw name bytes (with their FNV-1a hash) via an open-addressing table, so
   * that a known name costs one probe and a byte comparison; a string is built on first sight only.
   */
  private modelIndexOfBytes(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const mask = this.slotModel.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const candidate = this.slotModel[slot];
      if (candidate < 0) break;
      if (this.slotHash[slot] === hash && bytesEqual(bytes, start, end, this.modelBytes[candidate])) {
        return this.slotAlias[slot];
      }
    }
    const index = this.builder.modelIndex(this.decoder.decode(bytes.subarray(start, end)));
    this.modelBytes.push(bytes.slice(start, end));
    if (2 * this.modelBytes.length > this.slotModel.length) this.growModelTable();
    this.insertModelSlot(hash, this.modelBytes.length - 1, index);
    return index;
  }

  private insertModelSlot(hash: number, bytesIndex: number, modelIndex: number): void {
    const mask = this.slotModel.length - 1;
    let slot = hash & mask;
    while (this.slotModel[slot] >= 0) slot = (slot + 1) & mask;
    this.slotHash[slot] = hash;
    this.slotModel[slot] = bytesIndex;
    this.slotAlias[slot] = modelIndex;
  }

  private growModelTable(): void {
    const oldHash = this.slotHash;
    const oldModel = this.slotModel;
    const oldAlias = this.slotAlias;
    this.slotHash = new Uint32Array(oldHash.length * 2);
    this.slotModel = new Int32Array(oldModel.length * 2).fill(-1);
    this.slotAlias = new Int32Array(oldAlias.length * 2);
    for (let slot = 0; slot < oldModel.length; slot++) {
      if (oldModel[slot] >= 0) this.insertModelSlot(oldHash[slot], oldModel[slot], oldAlias[slot]);
    }
  }
}
