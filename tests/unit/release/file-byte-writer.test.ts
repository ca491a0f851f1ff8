import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { afterEach, describe, expect, it } from "vitest";
import { FileByteWriter, HashedFile } from "@/lib/server/releases/writers/release-file-sink";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** One 4,000-row group of texts up to 1.5 KB (~2.8 MB): larger than the writer's 1 MiB buffer. */
function writeGroup(writer: ByteWriter): void {
  const texts = Array.from({ length: 4000 }, (_, row) => `${row} `.repeat(1 + (row % 300)));
  const parquet = new ParquetWriter({ writer, schema: [{ name: "root", num_children: 1 }, { name: "text", type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "REQUIRED" }], codec: "UNCOMPRESSED", statistics: false });
  parquet.write({ columnData: [{ name: "text", data: texts }], rowGroupSize: texts.length });
  parquet.finish();
}

describe("FileByteWriter", () => {
  it("writes a row group larger than its buffer without growing it past one page, byte for byte as an in-memory writer", () => {
    const dir = mkdtempSync(join(tmpdir(), "file-byte-writer-"));
    dirs.push(dir);
    const file = new HashedFile(join(dir, "group.parquet"));
    const writer = new FileByteWriter(file);
    writeGroup(writer);
    file.close();
    const inMemory = new ByteWriter();
    writeGroup(inMemory);

    const written = readFileSync(join(dir, "group.parquet"));
    // Bounded by one data page (hyparquet-writer's default 1 MiB page, appended whole), not by the row group.
    expect(writer.buffer.byteLength).toBeLessThanOrEqual(2 << 20);
    expect(inMemory.buffer.byteLength).toBeGreaterThan(written.byteLength);
    expect(Buffer.compare(written, Buffer.from(inMemory.getBytes()))).toBe(0);
  });
});
