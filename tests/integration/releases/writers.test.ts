import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildManifest } from "@/lib/domain/release/card";
import { CSV_HEADER, CSV_HEADER_LINE, toCsvRow, toFlatRow, type FlatReleaseRow } from "@/lib/domain/release/csv";
import { conversationForSide, ZReleasedBattleSchema, type TReleasedBattle } from "@/lib/domain/release/schema";
import { writeReleaseAtomically } from "@/lib/server/releases/writers/atomic";
import { createReleaseWriter } from "@/lib/server/releases/writers/release-writer";
import { syntheticReleasedBattle } from "./synthetic-battle";
import { parseCsv } from "./csv-reader";

const ROWS = 2_000;

function flatAsStrings(row: FlatReleaseRow): Array<string | null> {
  return CSV_HEADER.map((column) => (row[column] === null ? null : String(row[column])));
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function pythonCan(module: string): boolean {
  try {
    execFileSync("python3", ["-c", `import ${module}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("release writer", () => {
  let root: string;
  let dir: string;
  let battles: TReleasedBattle[];
  let files: Awaited<ReturnType<Awaited<ReturnType<typeof createReleaseWriter>>["close"]>>["files"];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "release-writer-test-"));
    dir = join(root, "v1");
    battles = Array.from({ length: ROWS }, (_, index) => syntheticReleasedBattle(index));
    files = await writeReleaseAtomically(dir, async (partialDir) => {
      const writer = await createReleaseWriter(partialDir, { parquetRowGroupSize: 300 });
      for (const battle of battles) await writer.write(battle);
      return (await writer.close()).files;
    });
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes the three files with their row counts", async () => {
    expect(files.map((file) => [file.name, file.rows])).toEqual([
      ["battles.jsonl", ROWS],
      ["battles.csv", ROWS],
      ["battles.parquet", ROWS],
    ]);
    expect((await readdir(dir)).sort()).toEqual(["battles.csv", "battles.jsonl", "battles.parquet"]);
  });

  it("reports each file's true size and SHA-256", async () => {
    for (const file of files) {
      const bytes = await readFile(join(dir, file.name));
      expect(file.bytes, file.name).toBe(bytes.byteLength);
      expect(file.sha256, file.name).toBe(sha256(bytes));
    }
  });

  it("puts checksums into a manifest that match the files", async () => {
    const manifest = buildManifest({
      version: "v1",
      window: { start: "2025-01-01", end: "2025-09-28" },
      createdAt: new Date("2025-10-01T00:00:00Z"),
      license: "cc-by-4.0",
      k: 5,
      counts: { battles: ROWS, annotators: 5000, models: 6 },
      pseudonymScope: "stable",
      personaCells: { exact: 0, generalized: 0, withheld: 0, unanswered: 0 },
      schemaVersion: "1.0.0",
      files,
    });
    await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest));
    const reread = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as typeof manifest;
    for (const file of reread.files) {
      expect(sha256(await readFile(join(dir, file.name))), file.name).toBe(file.sha256);
    }
  });

  it("writes JSONL that parses back into the same valid battles", async () => {
    const lines = (await readFile(join(dir, "battles.jsonl"), "utf8")).split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(ROWS);
    lines.forEach((line, index) => {
      const parsed = ZReleasedBattleSchema.parse(JSON.parse(line));
      expect(parsed).toEqual(battles[index]);
    });
  });

  it("writes FastChat conversations in the JSONL", async () => {
    const first = JSON.parse((await readFile(join(dir, "battles.jsonl"), "utf8")).split("\n")[0]!) as TReleasedBattle;
    expect(first.conversation_a).toEqual(conversationForSide(first.turns, "a"));
    expect(first.conversation_a[0]).toEqual({ role: "user", content: first.turns[0]!.prompt });
  });

  it("writes an RFC 4180 CSV that matches the JSONL row by row", async () => {
    const jsonl = (await readFile(join(dir, "battles.jsonl"), "utf8")).trimEnd().split("\n");
    const records = parseCsv(await readFile(join(dir, "battles.csv"), "utf8"));
    expect(records[0]).toEqual([...CSV_HEADER]);
    expect(records).toHaveLength(ROWS + 1);
    jsonl.forEach((line, index) => {
      const expected = flatAsStrings(toFlatRow(JSON.parse(line) as TReleasedBattle));
      expect(records[index + 1], `row ${index}`).toEqual(expected);
    });
  });

  it("writes CSV records byte for byte as csvRecord in lib/domain/release/csv.ts", async () => {
    // The writer flattens the validated battle, whose media objects have their keys in schema order.
    const expected = CSV_HEADER_LINE + battles.map((battle) => toCsvRow(ZReleasedBattleSchema.parse(battle))).join("");
    expect(await readFile(join(dir, "battles.csv"), "utf8")).toBe(expected);
  });

  it("keeps empty strings and missing values apart in the CSV", async () => {
    const records = parseCsv(await readFile(join(dir, "battles.csv"), "utf8"));
    const feedbackA = CSV_HEADER.indexOf("feedback_a");
    const values = new Set(records.slice(1).map((record) => record[feedbackA]));
    expect(values.has("")).toBe(true);
    expect(values.has(null)).toBe(true);
  });

  it("writes a Parquet file that hyparquet reads back equal to the JSONL", async () => {
    const file = await asyncBufferFromFile(join(dir, "battles.parquet"));
    const metadata = await parquetMetadataAsync(file);
    expect(metadata.row_groups.length).toBe(Math.ceil(ROWS / 300));
    expect(metadata.num_rows).toBe(BigInt(ROWS));
    const rows = (await parquetReadObjects({ file })) as Array<Record<string, unknown>>;
    const jsonl = (await readFile(join(dir, "battles.jsonl"), "utf8")).trimEnd().split("\n");
    expect(rows).toHaveLength(ROWS);
    jsonl.forEach((line, index) => {
      const expected = toFlatRow(JSON.parse(line) as TReleasedBattle);
      const actual = Object.fromEntries(CSV_HEADER.map((column) => [column, rows[index]![column] ?? null]));
      expect(actual, `row ${index}`).toEqual(expected);
    });
  });

  it("uses plain Parquet types: UTF8 strings, BOOLEAN, INT32, DOUBLE, uncompressed", async () => {
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(join(dir, "battles.parquet")));
    const types = Object.fromEntries(metadata.schema.slice(1).map((element) => [element.name, element.type]));
    expect(types.prompt).toBe("BYTE_ARRAY");
    expect(metadata.schema.find((element) => element.name === "prompt")?.converted_type).toBe("UTF8");
    expect(types.personalized_a).toBe("BOOLEAN");
    expect(types.turn_count).toBe("INT32");
    expect(types.listening_seconds_a).toBe("DOUBLE");
    const codecs = new Set(metadata.row_groups.flatMap((group) => group.columns.map((column) => column.meta_data?.codec)));
    expect([...codecs]).toEqual(["UNCOMPRESSED"]);
  });

  it("reads back with pyarrow or pandas when this machine has them, and says so otherwise", () => {
    const reader = ["pyarrow", "pandas", "duckdb"].find(pythonCan);
    if (!reader) {
      expect(pythonCan("pyarrow")).toBe(false);
      return;
    }
    const script =
      reader === "duckdb"
        ? `import duckdb,sys; print(duckdb.sql("select count(*) from '${join(dir, "battles.parquet")}'").fetchone()[0])`
        : reader === "pyarrow"
          ? `import pyarrow.parquet as pq; print(pq.read_table('${join(dir, "battles.parquet")}').num_rows)`
          : `import pandas as pd; print(len(pd.read_parquet('${join(dir, "battles.parquet")}')))`;
    expect(execFileSync("python3", ["-c", script], { encoding: "utf8" }).trim()).toBe(String(ROWS));
  });

  it("refuses to write into a directory that already has release files", async () => {
    await expect(createReleaseWriter(dir)).rejects.toThrow();
  });

  it("rejects a battle that does not match the release schema", async () => {
    const otherDir = await mkdtemp(join(root, "invalid-"));
    const writer = await createReleaseWriter(otherDir);
    const invalid = { ...battles[0]!, winner: "model_c" } as unknown as TReleasedBattle;
    await expect(writer.write(invalid)).rejects.toThrow(/winner/);
    await writer.abort();
  });

  it("writes a readable empty release", async () => {
    const emptyDir = await mkdtemp(join(root, "empty-"));
    const writer = await createReleaseWriter(emptyDir);
    const { files: emptyFiles } = await writer.close();
    expect(emptyFiles.map((file) => file.rows)).toEqual([0, 0, 0]);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(join(emptyDir, "battles.parquet")) });
    expect(rows).toEqual([]);
    expect(await readFile(join(emptyDir, "battles.csv"), "utf8")).toBe(CSV_HEADER.join(",") + "\r\n");
  });
});

describe("writeReleaseAtomically", () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "release-atomic-test-"));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("leaves no final directory and no partial one when the writer throws halfway", async () => {
    const finalDir = join(root, "v-crash");
    await expect(
      writeReleaseAtomically(finalDir, async (partialDir) => {
        const writer = await createReleaseWriter(partialDir, { parquetRowGroupSize: 100 });
        for (let index = 0; index < 500; index++) await writer.write(syntheticReleasedBattle(index));
        throw new Error("database went away");
      }),
    ).rejects.toThrow("database went away");
    await expect(stat(finalDir)).rejects.toThrow();
    expect((await readdir(root)).filter((entry) => entry.startsWith("v-crash"))).toEqual([]);
  });

  it("removes a partial directory left by a process that died", async () => {
    const finalDir = join(root, "v-died");
    const leftover = `${finalDir}.partial-deadbeef`;
    await writeFile(join(root, "unrelated.txt"), "keep");
    await rm(leftover, { recursive: true, force: true });
    await mkdir(leftover);
    await writeFile(join(leftover, "battles.jsonl"), "half a release");
    await writeReleaseAtomically(finalDir, async (partialDir) => writeFile(join(partialDir, "README.md"), "ok"));
    expect((await readdir(root)).filter((entry) => entry.startsWith("v-died")).sort()).toEqual(["v-died"]);
    expect(await readFile(join(root, "unrelated.txt"), "utf8")).toBe("keep");
  });

  it("shows the final directory only once it is complete", async () => {
    const finalDir = join(root, "v-ok");
    await writeReleaseAtomically(finalDir, async (partialDir) => {
      await expect(stat(finalDir)).rejects.toThrow();
      await writeFile(join(partialDir, "README.md"), "done");
    });
    expect(await readFile(join(finalDir, "README.md"), "utf8")).toBe("done");
  });

  it("refuses to overwrite a published release", async () => {
    const finalDir = join(root, "v-ok");
    await expect(writeReleaseAtomically(finalDir, async () => undefined)).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await readFile(join(finalDir, "README.md"), "utf8")).toBe("done");
  });
});
