import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZReleasedBattleSchema, type TReleasedBattle } from "@/lib/domain/release/schema";
import { getRelease, publishRelease } from "@/lib/server/services/releases";
import { resetDatabase } from "../helpers/db";
import { COMMON_PERSONA, createAnnotator, createModels, createVotedBattle, db, PUBLISH_AT, tempReleaseDir, WINDOW } from "./release-fixtures";

/**
 * Issue 20's training-ready files, published through the release service: preference pairs and
 * unpaired labels in TRL's formats, reconciled with battles.jsonl and loaded with DuckDB.
 */
let releasedDir: string;
let battles: TReleasedBattle[] = [];
const ids: Record<string, string> = {};
const SYSTEM = "You are answering someone who prefers concise answers.";

beforeAll(async () => {
  await resetDatabase(db);
  const releaseDir = await tempReleaseDir();
  const { modelA, modelB } = await createModels();
  const annotators: Awaited<ReturnType<typeof createAnnotator>>[] = [];
  for (let index = 0; index < 3; index++) annotators.push(await createAnnotator({ persona: COMMON_PERSONA }));
  const battle = (index: number, extra: Partial<Parameters<typeof createVotedBattle>[0]> = {}) =>
    createVotedBattle({ userId: annotators[index % 3]!.user.id, personaVersionId: annotators[index % 3]!.persona.id, modelAId: modelA.id, modelBId: modelB.id, ...extra });
  ids.decisive = await battle(0, { prompt: "Write a Python function that reverses a string.", outcome: "model_b" });
  ids.multiTurn = await battle(1, { prompt: "Name a cat.", outcome: "model_a", turns: 2 });
  ids.tie = await battle(2, { prompt: "Say hello.", outcome: "tie" });
  ids.bothBad = await battle(0, { prompt: "Explain tides.", outcome: "both_bad" });
  ids.image = await battle(1, { modality: "image", outcome: "model_a", mediaA: { sha256: "c".repeat(64), mime: "image/png" }, mediaB: { sha256: "d".repeat(64), mime: "image/png" } });
  ids.experiment = await battle(2, { prompt: "Plan a picnic.", outcome: "model_a" });
  ids.invalid = await battle(0, { prompt: "Not counted.", outcome: "model_a", countsForRating: false });
  // Personalized: both sides saw the system prompt, except in the experiment battle (only side A did).
  for (const [key, sides] of [["decisive", [true, true]], ["experiment", [true, false]]] as const) {
    const stored = await db.battle.findUniqueOrThrow({ where: { publicId: ids[key] } });
    await db.battle.update({ where: { id: stored.id }, data: { personalizedA: sides[0], personalizedB: sides[1] } });
    await db.turn.updateMany({ where: { battleId: stored.id, index: 0 }, data: { systemPrompt: SYSTEM } });
  }
  await publishRelease(db, { window: WINDOW, now: PUBLISH_AT, k: 2, releaseDir });
  releasedDir = join(releaseDir, WINDOW);
  battles = (await readFile(join(releasedDir, "battles.jsonl"), "utf8")).trimEnd().split("\n").map((line) => ZReleasedBattleSchema.parse(JSON.parse(line)));
});

afterAll(() => resetDatabase(db));

const byId = (id: string) => battles.find((battle) => battle.battle_id === id)!;

describe("release columns of schema 3", () => {
  it("records which side saw the persona, the system prompts, categories, language and prompt hash", () => {
    const experiment = byId(ids.experiment!);
    expect([experiment.personalized_a, experiment.personalized_b]).toEqual([true, false]);
    expect([experiment.system_prompt_a, experiment.system_prompt_b]).toEqual([SYSTEM, null]);
    const decisive = byId(ids.decisive!);
    expect(decisive.category).toEqual(["coding"]);
    expect(decisive.language).toBe("en");
    expect(byId(ids.multiTurn!).category).toContain("multi_turn");
    expect(byId(ids.image!).category).toEqual([]);
    expect(battles.some((battle) => battle.battle_id === ids.invalid)).toBe(false);
  });
});

describe("training files", () => {
  it("pairs only decisive text votes whose sides shared a prompt, and reconciles with the manifest", async () => {
    const lines = (await readFile(join(releasedDir, "preference.jsonl"), "utf8")).trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(lines.map((row) => row.battle_id).sort()).toEqual([ids.decisive, ids.multiTurn].sort());
    const decisive = lines.find((row) => row.battle_id === ids.decisive);
    expect(decisive.prompt).toEqual([
      { role: "system", content: SYSTEM },
      { role: "user", content: "Write a Python function that reverses a string." },
    ]);
    expect(decisive.chosen).toEqual([{ role: "assistant", content: byId(ids.decisive!).turns[0]!.answer_b }]);
    expect(decisive.rejected).toEqual([{ role: "assistant", content: byId(ids.decisive!).turns[0]!.answer_a }]);
    expect(decisive.category).toEqual(["coding"]);

    const release = await getRelease(db, WINDOW);
    const counts = release!.manifest!.counts;
    const textBattles = battles.filter((battle) => battle.modality === "text");
    expect(counts.training).toEqual({ preference: 2, kto: 2 * textBattles.filter((battle) => battle.winner !== "tie").length, without_pair: battles.length - 2, ties: 1 });
    const files = new Map(release!.manifest!.files.map((file) => [file.name, file]));
    expect(files.get("preference.jsonl")?.rows).toBe(2);
    expect(files.get("preference.parquet")?.rows).toBe(2);
    expect(files.get("kto.parquet")?.rows).toBe(counts.training!.kto);
  });

  it("loads in DuckDB with the column types TRL expects", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const types = async (file: string) => {
      const path = join(releasedDir, file).replace(/'/g, "''");
      const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
      return Object.fromEntries(described.getRowObjects().map((row) => [row.column_name, row.column_type]));
    };
    const message = 'STRUCT("role" VARCHAR, "content" VARCHAR)[]';
    const preference = await types("preference.parquet");
    expect(preference).toMatchObject({ prompt: message, chosen: message, rejected: message, battle_id: "VARCHAR", category: "VARCHAR[]", language: "VARCHAR", persona_age_band: "VARCHAR" });
    const kto = await types("kto.parquet");
    expect(kto).toMatchObject({ prompt: message, completion: message, label: "BOOLEAN" });

    const path = join(releasedDir, "kto.parquet").replace(/'/g, "''");
    const labels = await connection.runAndReadAll(`SELECT battle_id, label, completion[1].role AS role FROM read_parquet('${path}') ORDER BY battle_id, label`);
    const rows = labels.getRowObjects();
    expect(rows.filter((row) => row.battle_id === ids.bothBad).map((row) => row.label)).toEqual([false, false]);
    expect(rows.filter((row) => row.battle_id === ids.decisive).map((row) => row.label)).toEqual([false, true]);
    expect(rows.some((row) => row.battle_id === ids.tie)).toBe(false);
    expect(new Set(rows.map((row) => row.role))).toEqual(new Set(["assistant"]));
    // The experiment battle gives no pair but two unpaired rows, each with its own side's prompt.
    const experimentPrompts = await connection.runAndReadAll(`SELECT label, prompt[1].role AS first FROM read_parquet('${path}') WHERE battle_id = '${ids.experiment}' ORDER BY label`);
    expect(experimentPrompts.getRowObjects()).toEqual([{ label: false, first: "user" }, { label: true, first: "system" }]);
    connection.closeSync();
    instance.closeSync();
  });

  it("declares battles, preference and kto as configs in the data card", async () => {
    const card = await readFile(join(releasedDir, "README.md"), "utf8");
    const front = yaml.load(card.split("---")[1]!) as { configs: { config_name: string; data_files: { path: string }[] }[] };
    expect(front.configs.map((config) => [config.config_name, config.data_files[0]!.path])).toEqual([
      ["default", "battles.parquet"],
      ["preference", "preference.parquet"],
      ["kto", "kto.parquet"],
    ]);
    expect(card).toContain("Ties carry no label");
  });
});
