import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
// Copies of the public battle dumps in ../shared/peer_data (provenance and licences in SOURCES.md there and here).
const peerData = resolve(root, "tests/fixtures/peer_data");
const genaiArena = resolve(peerData, "genai_arena_clean_battle_20240220.json");
const llmfao = resolve(peerData, "llmfao_battles.jsonl");

interface JsonOutput {
  mle: Record<string, number>;
  elo: Record<string, number>;
  bootstrap_ci: Record<string, [number, number]>;
  rank_ub: Record<string, number>;
  votes: Record<string, number>;
}

function runRatings(...args: string[]) {
  return runRatingsWithInput(undefined, ...args);
}

/** `npm run ratings` as package.json spells it (node and its arguments), so the tests run what users start. */
const ratingsCommand: string[] = (JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")) as { scripts: { ratings: string } }).scripts.ratings.split(/\s+/);

function runRatingsWithInput(input: string | undefined, ...args: string[]) {
  expect(ratingsCommand[0]).toBe("node");
  const result = spawnSync(process.execPath, [...ratingsCommand.slice(1), ...args], {
    cwd: root,
    encoding: "utf8",
    input,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runJson(...args: string[]): JsonOutput {
  const result = runRatings(...args, "--format", "json");
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as JsonOutput;
}

function reference(name: string): Record<string, number> {
  return (JSON.parse(readFileSync(resolve(root, "tests/fixtures/ratings", name), "utf8")) as { ratings: Record<string, number> })
    .ratings;
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

describe("ratings CLI on GenAI-Arena (two disconnected groups)", () => {
  const output = runJson("--input", genaiArena, "--skip-invalid", "--bootstrap", "200");
  const generation = Object.keys(output.mle).filter((m) => m.endsWith("_generation"));
  const edition = Object.keys(output.mle).filter((m) => m.endsWith("_edition"));

  it("prints exactly the five documented keys", () => {
    expect(Object.keys(output).sort()).toEqual(["bootstrap_ci", "elo", "mle", "rank_ub", "votes"]);
    expect(generation).toHaveLength(6);
    expect(edition).toHaveLength(7);
  });

  it("centres each group at 1000 separately", () => {
    expect(mean(generation.map((m) => output.mle[m]))).toBeCloseTo(1000, 6);
    expect(mean(edition.map((m) => output.mle[m]))).toBeCloseTo(1000, 6);
  });

  it("agrees with the independent reference MLE within 0.5 points", () => {
    const expected = reference("genai-arena-reference-bt.json");
    for (const [model, rating] of Object.entries(expected)) expect(Math.abs(output.mle[model] - rating)).toBeLessThan(0.5);
  });

  it("counts only anonymous, valid battles", () => {
    expect(Object.values(output.votes).reduce((s, v) => s + v, 0)).toBe(2 * 1515);
  });

  it("gives intervals around the ratings and ranks from 1", () => {
    for (const [model, [low, high]] of Object.entries(output.bootstrap_ci)) {
      expect(low).toBeLessThanOrEqual(output.mle[model]);
      expect(high).toBeGreaterThanOrEqual(output.mle[model]);
      expect(output.rank_ub[model]).toBeGreaterThanOrEqual(1);
    }
    expect(Math.min(...generation.map((m) => output.rank_ub[m]))).toBe(1);
  });

  it("fails on the record with model_a == model_b without --skip-invalid, naming its element", () => {
    const result = runRatings("--input", genaiArena, "--bootstrap", "0");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/element 1819: model_a and model_b are both/);
  });

  it("prints a table with one section per group and provisional markers", () => {
    const result = runRatings("--input", genaiArena, "--skip-invalid", "--bootstrap", "20");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Group 1 of 2");
    expect(result.stdout).toMatch(/imagenhub_SDEdit_edition .*provisional/);
    expect(result.stderr).toContain("skipped 1 invalid record(s)");
  });
});

describe("ratings CLI on LLMFAO (JSONL)", () => {
  const output = runJson("--input", llmfao, "--bootstrap", "100", "--seed", "3");

  it("rates all 59 models centred at 1000", () => {
    expect(Object.keys(output.mle)).toHaveLength(59);
    expect(mean(Object.values(output.mle))).toBeCloseTo(1000, 6);
  });

  it("agrees with the independent reference MLE within 0.5 points", () => {
    const expected = reference("llmfao-reference-bt.json");
    expect(Object.keys(expected)).toHaveLength(59);
    for (const [model, rating] of Object.entries(expected)) expect(Math.abs(output.mle[model] - rating)).toBeLessThan(0.5);
  });

  it("is reproducible from the seed", () => {
    expect(runJson("--input", llmfao, "--bootstrap", "100", "--seed", "3")).toEqual(output);
  });

  it("anchors a model and shifts the others by the same amount", () => {
    const anchored = runJson("--input", llmfao, "--bootstrap", "0", "--anchor", "GPT 4=1200");
    expect(anchored.mle["GPT 4"]).toBeCloseTo(1200, 9);
    expect(anchored.mle["Claude v1"] - anchored.mle["GPT 4"]).toBeCloseTo(output.mle["Claude v1"] - output.mle["GPT 4"], 9);
  });
});

describe("ratings CLI errors", () => {
  it("names the malformed line and exits 1", () => {
    const result = runRatings("--input", "tests/fixtures/ratings/unknown-winner-line-3.jsonl");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/line 3: winner "draw"/);
  });

  it("skips it with --skip-invalid and reports the count", () => {
    const result = runRatings("--input", "tests/fixtures/ratings/unknown-winner-line-3.jsonl", "--skip-invalid", "--format", "json");
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("skipped 1 invalid record(s)");
    expect(Object.keys(JSON.parse(result.stdout).mle).sort()).toEqual(["a", "b", "c"]);
  });

  it.each([
    [["--input", llmfao, "--frobnicate"]],
    [["--input", llmfao, "--format", "xml"]],
    [["--input", llmfao, "--bootstrap", "-1"]],
    [["--input", llmfao, "--anchor", "GPT 4"]],
    [["--bootstrap", "10"]],
  ])("exits 2 with usage for %j", (args) => {
    const result = runRatings(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("usage: ratings");
  });

  it("exits 1 for a missing file", () => {
    const result = runRatings("--input", "does/not/exist.jsonl");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cannot read");
  });

  it("exits 1 for an anchor model without battles", () => {
    const result = runRatings("--input", llmfao, "--anchor", "nobody=1000", "--bootstrap", "0");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('anchor model "nobody"');
  });
});

describe("ratings CLI options for LMArena's conventions and small samples", { timeout: 60_000 }, () => {
  const separated = ['{"model_a":"a","model_b":"b","winner":"model_a","tstamp":1}', '{"model_a":"b","model_b":"c","winner":"model_a","tstamp":2}'].join("\n");

  it("reads standard input with --input -, giving what the file gives", () => {
    const fromFile = runJson("--input", llmfao, "--bootstrap", "20");
    const piped = runRatingsWithInput(readFileSync(llmfao, "utf8"), "--input", "-", "--bootstrap", "20", "--format", "json");
    expect(piped.status, piped.stderr).toBe(0);
    expect(JSON.parse(piped.stdout)).toEqual(fromFile);
  });

  it("leaves intervals blank when no bootstrap ran", () => {
    const table = runRatingsWithInput(separated, "--input", "-", "--bootstrap", "0");
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).not.toMatch(/\/\+/);
    const json = JSON.parse(runRatingsWithInput(separated, "--input", "-", "--bootstrap", "0", "--format", "json").stdout) as { bootstrap_ci: Record<string, unknown> };
    expect(Object.values(json.bootstrap_ci)).toEqual([null, null, null]);
  });

  it("keeps the plain MLE by default and offers the small-sample prior as a flag", () => {
    const plain = JSON.parse(runRatingsWithInput(separated, "--input", "-", "--bootstrap", "0", "--format", "json").stdout) as JsonOutput;
    expect(plain.mle.a - plain.mle.c).toBeGreaterThan(3000);
    const prior = JSON.parse(runRatingsWithInput(separated, "--input", "-", "--bootstrap", "0", "--prior", "--format", "json").stdout) as JsonOutput;
    expect(prior.mle.a - prior.mle.c).toBeLessThan(1000);
    expect(prior.mle.a).toBeGreaterThan(prior.mle.b);
    for (const [model, [low, high]] of Object.entries(prior.bootstrap_ci)) expect(high - low, model).toBeGreaterThan(300);
  });

  it("--anchor fastchat sets mixtral-8x7b-instruct-v0.1 to 1114 when present and changes nothing otherwise", () => {
    const dump = separated.replaceAll('"c"', '"mixtral-8x7b-instruct-v0.1"');
    const anchored = JSON.parse(runRatingsWithInput(dump, "--input", "-", "--bootstrap", "0", "--prior", "--anchor", "fastchat", "--format", "json").stdout) as JsonOutput;
    expect(anchored.mle["mixtral-8x7b-instruct-v0.1"]).toBeCloseTo(1114, 9);
    const absent = runRatingsWithInput(separated, "--input", "-", "--bootstrap", "0", "--anchor", "fastchat", "--format", "json");
    expect(absent.status, absent.stderr).toBe(0);
    expect(JSON.parse(absent.stdout)).toEqual(JSON.parse(runRatingsWithInput(separated, "--input", "-", "--bootstrap", "0", "--format", "json").stdout));
  });

  it("--style-control agrees with FastChat's compute_style_control within 0.5 points and shows the coefficients", async () => {
    const { styledBattleLines } = (await import("../../fixtures/ratings/styled-battles.mjs")) as { styledBattleLines: (count?: number) => string[] };
    const reference = JSON.parse(readFileSync(resolve(root, "tests/fixtures/ratings/fastchat-style-reference.json"), "utf8")) as { ratings: Record<string, number>; coefficients: number[] };
    const result = runRatingsWithInput(styledBattleLines().join("\n"), "--input", "-", "--style-control", "--anchor", "fastchat", "--bootstrap", "20", "--format", "json");
    expect(result.status, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as JsonOutput & { style_coefficients: Record<string, number>; style_coefficient_ci: Record<string, [number, number]> };
    for (const [model, rating] of Object.entries(reference.ratings)) expect(Math.abs(output.mle[model] - rating), model).toBeLessThan(0.5);
    Object.values(output.style_coefficients).forEach((value, k) => expect(value).toBeCloseTo(reference.coefficients[k], 3));
    const [low, high] = output.style_coefficient_ci.tokens;
    expect(low).toBeLessThan(output.style_coefficients.tokens);
    expect(high).toBeGreaterThan(output.style_coefficients.tokens);
  }, 60_000);
});
