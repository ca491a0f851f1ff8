import { describe, expect, it } from "vitest";
import { buildDatasetCard, buildManifest, RELEASE_FEATURES } from "@/lib/domain/release/card";
import { CSV_HEADER } from "@/lib/domain/release/csv";

const input = {
  version: "2025-09",
  window: { start: "2025-09-01", end: "2025-09-30" },
  license: "cc-by-4.0",
  counts: { battles: 1234, annotators: 56, models: 7 },
  k: 5,
  schemaVersion: "1.0.0",
  pseudonymScope: "stable" as const,
  personaCells: { exact: 600, generalized: 300, withheld: 100, unanswered: 40, exact_or_one_level_up: 800 },
};

function frontMatter(card: string): string {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(card);
  if (!match) throw new Error("no front matter");
  return match[1]!;
}

describe("buildDatasetCard", () => {
  it("starts with YAML front matter", () => {
    expect(buildDatasetCard(input).startsWith("---\nlicense: cc-by-4.0\n")).toBe(true);
  });

  it("names the pretty name and the default config over battles.parquet", () => {
    const yaml = frontMatter(buildDatasetCard(input));
    expect(yaml).toContain('pretty_name: "Persona Arena battles 2025-09"');
    expect(yaml).toContain("  - config_name: default\n    data_files:\n      - split: train\n        path: battles.parquet");
  });

  it("lists one feature per released column with its dtype", () => {
    const yaml = frontMatter(buildDatasetCard(input));
    for (const column of CSV_HEADER) expect(yaml).toContain(`      - name: ${column}\n`);
    expect(yaml).toContain("      - name: personalized_a\n        dtype: bool");
    expect(yaml).toContain("      - name: turn_count\n        dtype: int32");
    expect(yaml).toContain("      - name: listening_seconds_a\n        dtype: float64");
    expect(RELEASE_FEATURES).toHaveLength(CSV_HEADER.length);
  });

  it("gives the number of examples", () => {
    expect(frontMatter(buildDatasetCard(input))).toContain("num_examples: 1234");
  });

  it("describes window, counts, k, license and schema version", () => {
    const card = buildDatasetCard(input);
    expect(card).toContain("between 2025-09-01 and 2025-09-30");
    expect(card).toContain("1234 battles, 56 annotators, 7 models");
    expect(card).toContain("at least k = 5 annotators");
    expect(card).toContain("Released under cc-by-4.0");
    expect(card).toContain("schema 1.0.0");
  });

  it("explains pseudonyms and scrubbing", () => {
    const card = buildDatasetCard(input);
    expect(card).toContain("## Anonymization");
    expect(card).toContain("HMAC-SHA256");
    expect(card).toContain("[EMAIL]");
  });

  it("includes a BibTeX citation, or the one given", () => {
    expect(buildDatasetCard(input)).toContain("@misc{persona_arena_2025_09,");
    expect(buildDatasetCard({ ...input, citation: "@article{x}" })).toContain("```bibtex\n@article{x}\n```");
  });

  it("quotes a pretty name that YAML would misread", () => {
    expect(frontMatter(buildDatasetCard({ ...input, prettyName: 'Arena: "v2" #1' }))).toContain(
      'pretty_name: "Arena: \\"v2\\" #1"',
    );
  });

  it("is deterministic", () => {
    expect(buildDatasetCard(input)).toBe(buildDatasetCard(input));
  });

  it("states the share of persona cells released exact, generalized and withheld", () => {
    expect(buildDatasetCard(input)).toContain("60.0% of the answered quasi-identifier cells of the rows are released exactly (a preference: its band), 30.0% generalized and 10.0% withheld; 80.0% exact or one level up");
  });

  it("names response style and the preference bands among the quasi-identifiers held to k jointly, and what is only counted", () => {
    const card = buildDatasetCard(input);
    expect(card).toContain("response style, and every stated preference band");
    expect(card).toContain("Not released at all, so that k-anonymity leaves the rows useful: country, education, occupation, expertise, which languages");
    expect(card).toContain("age band, gender, how many languages they speak");
    expect(card).not.toContain("persona_marginals");
    expect(card).toContain("release windows never overlap");
  });

  it("says battle ids are per release under the per_release scope", () => {
    expect(buildDatasetCard({ ...input, pseudonymScope: "per_release" })).toContain("battle ids are keyed per release");
  });
});

describe("buildManifest", () => {
  const files = [
    { name: "battles.parquet", sha256: "c".repeat(64), bytes: 30, rows: 3 },
    { name: "battles.csv", sha256: "a".repeat(64), bytes: 10, rows: 3 },
  ];
  const manifest = buildManifest({ ...input, createdAt: new Date(Date.UTC(2025, 9, 1, 12)), files });

  it("records versions, window, k and license", () => {
    expect(manifest).toMatchObject({
      schema_version: "1.0.0",
      version: "2025-09",
      window: { start: "2025-09-01", end: "2025-09-30" },
      k: 5,
      license: "cc-by-4.0",
    });
  });

  it("publishes no persona counts: exact counts of two releases could be differenced to one annotator", () => {
    expect(manifest).not.toHaveProperty("persona_marginals");
  });

  it("records the creation time in ISO 8601 UTC", () => {
    expect(manifest.created_at).toBe("2025-10-01T12:00:00.000Z");
  });

  it("records the pseudonym scope and the persona cells released exact, generalized and withheld", () => {
    expect(manifest.pseudonym_scope).toBe("stable");
    expect(manifest.persona_cells).toEqual({
      exact: 600, generalized: 300, withheld: 100, unanswered: 40, exact_or_one_level_up: 800,
      exact_share: 0.6, generalized_share: 0.3, withheld_share: 0.1, exact_or_one_level_up_share: 0.8,
    });
  });

  it("lists files by name with rows, bytes and sha256", () => {
    expect(manifest.files.map((file) => file.name)).toEqual(["battles.csv", "battles.parquet"]);
    expect(manifest.files[1]).toEqual(files[0]);
  });

  it("does not share arrays with its input", () => {
    expect(manifest.files[0]).not.toBe(files[1]);
  });
});
