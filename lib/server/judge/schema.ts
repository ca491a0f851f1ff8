import { z } from "zod";
import { JUDGE_PROMPT_VERSIONS } from "@/lib/domain/judge/prompts";

/** The judge methods a run compares, in display order. */
export const JUDGE_RUN_METHODS = ["judge_persona", "judge_blind", "group_model", "global_board"] as const;

const JUDGE_MAX_SAMPLE = 2000;
/** Default cap on the tokens (in + out) one run may spend; the run stops and says so when reached. */
const DEFAULT_JUDGE_TOKEN_BUDGET = 2_000_000;
/** Each judge answer is one JSON object with one sentence: this is plenty. */
export const JUDGE_MAX_OUTPUT_TOKENS = 300;

export const ZStartJudgeRunSchema = z.object({
  /** An active text model's id, or null for the offline demo judge. */
  judgeModelId: z.string().min(1).nullable(),
  sampleSize: z.number().int().min(1).max(JUDGE_MAX_SAMPLE),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
  promptVersion: z.enum(JUDGE_PROMPT_VERSIONS).default("judge-v1"),
  tokenBudget: z.number().int().min(1000).max(100_000_000).default(DEFAULT_JUDGE_TOKEN_BUDGET),
});
export type TStartJudgeRunInput = z.input<typeof ZStartJudgeRunSchema>;

const ZCoveragePointSchema = z.object({ minCertainty: z.number().int(), coverage: z.number(), agreement: z.number().nullable(), items: z.number().int() });
const ZAgreementSummarySchema = z.object({
  items: z.number().int(),
  answered: z.number().int(),
  abstained: z.number().int(),
  abstentions: z.record(z.string(), z.number().int()),
  agreement: z.number().nullable(),
  curve: z.array(ZCoveragePointSchema),
});

export const ZJudgeRunSummarySchema = z.object({
  sampled: z.number().int(),
  methods: z.record(z.enum(JUDGE_RUN_METHODS), ZAgreementSummarySchema),
  /** Groups of the group model fitted without the sampled votes. */
  groupCount: z.number().int(),
  tokens: z.number().int(),
  /** Set when the run stopped early (token budget). */
  stoppedEarly: z.string().nullable(),
});
export type TJudgeRunSummary = z.infer<typeof ZJudgeRunSummarySchema>;
