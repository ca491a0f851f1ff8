import { CSV_HEADER, RELEASE_COLUMNS, type ReleaseColumn } from "./csv";

interface ReleaseWindow {
  /** Inclusive, YYYY-MM-DD. */
  start: string;
  /** Inclusive, YYYY-MM-DD. */
  end: string;
}

interface ReleaseCounts {
  battles: number;
  annotators: number;
  models: number;
  /**
   * Rows of the training files (preference.jsonl / preference.parquet and kto.parquet), and the battles
   * that gave no preference pair (ties, both-bad, image and music battles, sides shown different system
   * prompts) or no unpaired label (text ties). Absent in releases older than schema 3.
   */
  training?: { preference: number; kto: number; without_pair: number; ties: number };
}

/**
 * What k-anonymity did to the persona: quasi-identifier cells (one per annotator and quasi-identifier,
 * stated preferences included) that hold an answer, by how they were released; unanswered ones apart.
 */
interface PersonaCellCounts {
  exact: number;
  generalized: number;
  withheld: number;
  unanswered: number;
  /** Cells released exact or one hierarchy level above (never "*"); absent in releases older than schema 4. */
  exact_or_one_level_up?: number;
}

function share(part: number, counts: PersonaCellCounts): number {
  const total = counts.exact + counts.generalized + counts.withheld;
  return total === 0 ? 0 : Math.round((part / total) * 1000) / 1000;
}

function percent(part: number, counts: PersonaCellCounts): string {
  return `${(share(part, counts) * 100).toFixed(1)}%`;
}

export interface DatasetFeature {
  name: string;
  dtype: "string" | "bool" | "int32" | "float64";
}

const DTYPE_OF: Record<(typeof RELEASE_COLUMNS)[ReleaseColumn]["type"], DatasetFeature["dtype"]> = {
  STRING: "string",
  BOOLEAN: "bool",
  INT32: "int32",
  DOUBLE: "float64",
};

/** Hugging Face `dataset_info.features` of the flat release files (battles.parquet / .csv columns). */
export const RELEASE_FEATURES: readonly DatasetFeature[] = CSV_HEADER.map((name) => ({
  name,
  dtype: DTYPE_OF[RELEASE_COLUMNS[name].type],
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
  personaCells?: PersonaCellCounts;
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
    ...(input.counts.training
      ? [
          "  - config_name: preference",
          "    data_files:",
          "      - split: train",
          "        path: preference.parquet",
          "  - config_name: kto",
          "    data_files:",
          "      - split: train",
          "        path: kto.parquet",
        ]
      : []),
    "dataset_info:",
    "  - config_name: default",
    "    features:",
    ...features.flatMap((feature) => [`      - name: ${feature.name}`, `        dtype: ${feature.dtype}`]),
    "    splits:",
    "      - name: train",
    `        num_examples: ${input.counts.battles}`,
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
    "- The annotator's persona, generalized (see below): age band, gender, how many languages they speak (`1`, `2`, `3+`), AI usage frequency, response style and their stated preferences as low / middle / high bands (`0-39` / `40-79` / `80-100`). Country, education, occupation, expertise and which languages are not released.",
    "- Files: `battles.parquet` (recommended), `battles.jsonl` (nested, one battle per line) and `battles.csv` (RFC 4180, first turn as columns, later turns in `later_turns_json`). `manifest.json` lists row counts, sizes and SHA-256 checksums.",
    "- Per battle also: `personalized_a` / `personalized_b` (which side saw the persona: they differ in personalization-experiment battles, where one random side answered generically), `system_prompt_a` / `system_prompt_b` (what each side was told about the annotator, released under the same rules as all text), `category` (prompt categories: coding, math, creative_writing, instruction_following, hard_prompt, multi_turn), `language` (ISO 639-1) and `prompt_hash` (normalized hash of the first prompt, to find duplicates).",
    ...(input.counts.training
      ? [
          "",
          "## Training-ready files",
          "",
          `- \`preference.parquet\` and \`preference.jsonl\` (config \`preference\`, ${input.counts.training.preference} rows): Hugging Face TRL's conversational preference format, read by its DPO and reward trainers as is. \`prompt\` is the message list both models saw (the persona system prompt first, when there was one), \`chosen\` and \`rejected\` the winning and losing answers as assistant messages (for a multi-turn battle, each side's continuation). Also \`battle_id\`, \`annotator\`, \`chosen_model\`, \`rejected_model\`, \`category\`, \`language\` and the generalized persona columns.`,
          `- \`kto.parquet\` (config \`kto\`, ${input.counts.training.kto} rows): TRL's unpaired preference format (\`prompt\`, \`completion\`, \`label\`). A decisive vote gives one \`true\` row (the winner) and one \`false\` row (the loser); a both-bad vote gives two \`false\` rows. Ties carry no label and are left out (${input.counts.training.ties} text ties in this release).`,
          `- Only text battles make training rows, and a battle whose sides were shown different system prompts (a personalization experiment) makes no pair, since the two answers did not share one prompt; its unpaired rows keep each side's own prompt. ${input.counts.training.without_pair} battles of this release gave no pair. Every row comes from a battle of \`battles.jsonl\`: no invalid, excluded or opted-out vote is in any file.`,
        ]
      : []),
    "",
    "## Anonymization",
    "",
    input.pseudonymScope === "per_release"
      ? "- Annotators appear only as keyed pseudonyms (`annotator_…`, HMAC-SHA256 with a secret kept on the server), regenerated for every release, and battle ids are keyed per release too (`battle_…`), so releases cannot be joined on annotators or battles."
      : "- Annotators appear only as keyed pseudonyms (`annotator_…`, HMAC-SHA256 with a secret kept on the server), stable across releases so that an annotator's votes can be followed over time without revealing who they are.",
    "- Every vote is published in at most one release: release windows never overlap.",
    "- Prompts, answers and feedback (and so the conversations) are scrubbed: e-mail addresses (also written \"name at example dot com\", masked or cut off), phone numbers, IP addresses, URLs carrying credentials, tokens or a webhook secret in their path, payment card numbers, national identifiers (US SSN, UK National Insurance number, Brazilian CPF, also masked or cut off), IBANs (also cut off), API keys and other secrets, private-key blocks, passwords stated in prose, street addresses and postcodes, and people's names are replaced by typed placeholders (`[EMAIL]`, `[PHONE]`, `[IP]`, `[URL_WITH_SECRET]`, `[CARD]`, `[NATIONAL_ID]`, `[IBAN]`, `[SECRET]`, `[PRIVATE_KEY]`, `[PASSWORD]`, `[ADDRESS]`, `[NAME]`); in an annotator's own texts their account name becomes `[NAME]` and their e-mail user name `[USERNAME]`. Detection is rule-based (documented in the repository, measured by `npm run bench:scrub`); names of public figures are replaced too, and unusual names without a cue word may be missed.",
    "- Persona-safe text: wherever the persona columns withhold or generalize an annotator's own persona value, its mentions in that annotator's battles (country names, demonyms and adjectives, language names, age bands and decades, occupation, field of expertise, education, gender in \"as a woman\", and words from their free-text self description) are replaced by a typed placeholder carrying what the column shows (`[AGE: 18-34]`) or, when the column shows nothing, the bare type (`[COUNTRY]`, `[OCCUPATION]`, `[LANGUAGE]`, `[PERSONA_DETAIL]`). Values the columns show exactly stay in the text.",
    `- Persona quasi-identifiers (age band, gender, language count, AI usage frequency, response style, and every stated preference band) are generalized per group of similar annotators (e.g. age band → 18-34 / 35-54 / 55+ → 18-54 / 55+, preference band → \`0-79\` / \`80-100\`) and, where needed, withheld (\`*\`), so that every released combination of all of them together is shared by at least k = ${input.k} annotators. A rare value coarsens only the few annotators who carry it, not the whole column. Free-text self descriptions and use cases are never released.`,
    "- Not released at all, so that k-anonymity leaves the rows useful: country, education, occupation, expertise, which languages, and the preferences' 20-point buckets (no counts either: counts in two releases that differ by one annotator would give that annotator's answers away). In the texts, mentions of an annotator's own country, languages, education, occupation and expertise are always replaced by placeholders.",
    ...(input.personaCells
      ? [
          `- Persona detail kept: ${percent(input.personaCells.exact, input.personaCells)} of the answered quasi-identifier cells of the rows are released exactly (a preference: its band), ${percent(input.personaCells.generalized, input.personaCells)} generalized and ${percent(input.personaCells.withheld, input.personaCells)} withheld${input.personaCells.exact_or_one_level_up === undefined ? "" : `; ${percent(input.personaCells.exact_or_one_level_up, input.personaCells)} exact or one level up`} (${input.personaCells.unanswered} cells were unanswered: null, or \`*\` where the group withholds that column). \`manifest.json\` has the counts.`,
        ]
      : []),
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
  pseudonym_scope: "stable" | "per_release";
  /** Answered persona quasi-identifier cells released exact / generalized / withheld, with shares. */
  persona_cells: PersonaCellCounts & { exact_share: number; generalized_share: number; withheld_share: number; exact_or_one_level_up_share?: number };
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
  pseudonymScope: "stable" | "per_release";
  personaCells: PersonaCellCounts;
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
    pseudonym_scope: input.pseudonymScope,
    persona_cells: {
      ...input.personaCells,
      exact_share: share(input.personaCells.exact, input.personaCells),
      generalized_share: share(input.personaCells.generalized, input.personaCells),
      withheld_share: share(input.personaCells.withheld, input.personaCells),
      ...(input.personaCells.exact_or_one_level_up === undefined ? {} : { exact_or_one_level_up_share: share(input.personaCells.exact_or_one_level_up, input.personaCells) }),
    },
    files: [...input.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((file) => ({ ...file })),
    ...(input.simulatedBattles ? { simulated_battles: input.simulatedBattles } : {}),
  };
}
