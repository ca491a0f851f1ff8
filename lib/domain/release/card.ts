import { CSV_HEADER, RELEASE_COLUMN_TYPES, type ReleaseColumn } from "./csv";

export interface ReleaseWindow {
  /** Inclusive, YYYY-MM-DD. */
  start: string;
  /** Inclusive, YYYY-MM-DD. */
  end: string;
}

export interface ReleaseCounts {
  battles: number;
  annotators: number;
  models: number;
}

export interface DatasetFeature {
  name: string;
  dtype: "string" | "bool" | "int32" | "float64";
}

const DTYPE_OF: Record<(typeof RELEASE_COLUMN_TYPES)[ReleaseColumn], DatasetFeature["dtype"]> = {
  STRING: "string",
  BOOLEAN: "bool",
  INT32: "int32",
  DOUBLE: "float64",
};

/** Hugging Face `dataset_info.features` of the flat release files (battles.parquet / .csv columns). */
export const RELEASE_FEATURES: readonly DatasetFeature[] = CSV_HEADER.map((name) => ({
  name,
  dtype: DTYPE_OF[RELEASE_COLUMN_TYPES[name]],
}));

export interface DatasetCardInput {
  version: string;
  window: ReleaseWindow;
  /** SPDX identifier as Hugging Face expects it in front matter, e.g. "cc-by-4.0". */
  license: string;
  counts: ReleaseCounts;
  k: number;
  schemaVersion: string;
  features?: readonly DatasetFeature[];
  prettyName?: string;
  citation?: string;
  /** "stable" (default): one pseudonym per annotator across releases; "per_release": new ones each release. */
  pseudonymScope?: "stable" | "per_release";
  /** Battles voted by simulated demo annotators; a card with any says so at the top. */
  simulatedBattles?: number;
}

/** YAML double-quoted scalar, valid for any string. */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The README.md of a release: Hugging Face YAML front matter (license, pretty_name, one default config
 * over battles.parquet, dataset_info features), then a description of content, anonymization, license
 * and citation. Pure: the same input gives the same text.
 */
export function buildDatasetCard(input: DatasetCardInput): string {
  const features = input.features ?? RELEASE_FEATURES;
  const prettyName = input.prettyName ?? `Persona Arena battles ${input.version}`;
  const citation =
    input.citation ??
    [
      `@misc{persona_arena_${input.version.replace(/[^A-Za-z0-9]/g, "_")},`,
      `  title = {${prettyName}},`,
      `  year = {${input.window.end.slice(0, 4)}},`,
      `  note = {Release ${input.version}, battles from ${input.window.start} to ${input.window.end}, schema ${input.schemaVersion}}`,
      `}`,
    ].join("\n");
  const frontMatter = [
    "---",
    `license: ${input.license}`,
    `pretty_name: ${yamlString(prettyName)}`,
    "task_categories:",
    "  - text-generation",
    "tags:",
    "  - human-feedback",
    "  - preference",
    "  - pairwise-comparison",
    "configs:",
    "  - config_name: default",
    "    data_files:",
    "      - split: train",
    "        path: battles.parquet",
    "dataset_info:",
    "  features:",
    ...features.flatMap((feature) => [`    - name: ${feature.name}`, `      dtype: ${feature.dtype}`]),
    "  splits:",
    "    - name: train",
    `      num_examples: ${input.counts.battles}`,
    "---",
  ];
  const body = [
    `# ${prettyName}`,
    "",
    `Pairwise human preferences between AI models, collected on Persona Arena between ${input.window.start} and ${input.window.end} (release ${input.version}, schema ${input.schemaVersion}).`,
    "",
    ...(input.simulatedBattles
      ? [
          `> **Simulated demo data.** ${input.simulatedBattles} of these ${input.counts.battles} battles were voted by simulated annotators of the living demo (SEED_DEMO), not by people. Do not use them for research; \`manifest.json\` gives the count as \`simulated_battles\`.`,
          "",
        ]
      : []),
    "## What is included",
    "",
    `- ${input.counts.battles} battles, ${input.counts.annotators} annotators, ${input.counts.models} models.`,
    "- Each battle: the annotator's prompt(s), both anonymous answers, the vote (`model_a`, `model_b`, `tie`, `both_bad`), optional written feedback, listening times for audio, and whether the answers were personalized to the annotator's persona.",
    "- FastChat-compatible `conversation_a` / `conversation_b` message lists, so LMArena tooling reads the data as is.",
    "- The annotator's persona, generalized (see below), and their stated preferences in 20-point buckets.",
    "- Files: `battles.parquet` (recommended), `battles.jsonl` (nested, one battle per line) and `battles.csv` (RFC 4180, first turn as columns, later turns in `later_turns_json`). `manifest.json` lists row counts, sizes and SHA-256 checksums.",
    "",
    "## Anonymization",
    "",
    input.pseudonymScope === "per_release"
      ? "- Annotators appear only as keyed pseudonyms (`annotator_…`, HMAC-SHA256 with a secret kept on the server), regenerated for every release, so releases cannot be joined on annotators."
      : "- Annotators appear only as keyed pseudonyms (`annotator_…`, HMAC-SHA256 with a secret kept on the server), stable across releases so that an annotator's votes can be followed over time without revealing who they are.",
    "- Prompts, answers and feedback are scrubbed: e-mail addresses, phone numbers, IP addresses, URLs carrying credentials or tokens, payment card numbers, national identifiers, IBANs and API keys or other secrets are replaced by typed placeholders such as `[EMAIL]` or `[SECRET]`.",
    `- Persona quasi-identifiers (age band, gender, country, languages, education, occupation, expertise, AI usage frequency) are generalized (e.g. country → UN M49 subregion → region) and, where needed, withheld (\`*\`) so that every released combination is shared by at least k = ${input.k} annotators. Free-text self descriptions are never released.`,
    "",
    "## License",
    "",
    `Released under ${input.license}. Model answers may additionally be subject to the terms of the providers of the models.`,
    "",
    "## Citation",
    "",
    "```bibtex",
    citation,
    "```",
    "",
  ];
  return [...frontMatter, ...body].join("\n");
}

export interface ReleaseFileEntry {
  name: string;
  sha256: string;
  bytes: number;
  rows: number;
}

export interface ReleaseManifest {
  schema_version: string;
  version: string;
  window: ReleaseWindow;
  created_at: string;
  license: string;
  k: number;
  counts: ReleaseCounts;
  files: ReleaseFileEntry[];
  /** Present only when the release includes battles of simulated demo annotators. */
  simulated_battles?: number;
}

export interface ManifestInput {
  version: string;
  window: ReleaseWindow;
  createdAt: Date;
  license: string;
  k: number;
  counts: ReleaseCounts;
  schemaVersion: string;
  files: readonly ReleaseFileEntry[];
  simulatedBattles?: number;
}

/** manifest.json of a release; files are listed in name order so the manifest is byte-stable. */
export function buildManifest(input: ManifestInput): ReleaseManifest {
  return {
    schema_version: input.schemaVersion,
    version: input.version,
    window: { start: input.window.start, end: input.window.end },
    created_at: input.createdAt.toISOString(),
    license: input.license,
    k: input.k,
    counts: { ...input.counts },
    files: [...input.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((file) => ({ ...file })),
    ...(input.simulatedBattles ? { simulated_battles: input.simulatedBattles } : {}),
  };
}
