import { z } from "zod";
import { MODALITIES } from "../vocabulary";
import { PERSONA_ATTRIBUTE_VALUES, attributeValueLabel, isPersonaAttribute, type TPersonaAttribute } from "./attributes";

/** A persona condition a latent group is tied to: "expertise = software", "preferences.detail = high". */
const ZAttributeConditionSchema = z
  .object({ attribute: z.string().refine(isPersonaAttribute, { message: "Unknown persona attribute" }), value: z.string() })
  .refine((condition) => !isPersonaAttribute(condition.attribute) || PERSONA_ATTRIBUTE_VALUES[condition.attribute].includes(condition.value), {
    message: "Value is not one of the attribute's values",
  })
  .transform((condition) => condition as { attribute: TPersonaAttribute; value: string });
export type TAttributeCondition = z.output<typeof ZAttributeConditionSchema>;

/**
 * One latent preference group. Members share Bradley–Terry strengths; their personas lean toward
 * the `signature` (each condition holds with probability `personaLink`).
 */
const ZGroupSpecSchema = z.object({
  /** Stable id; default `g{index}`. */
  id: z.string().min(1).optional(),
  /** Label for reports; default the signature's labels. */
  label: z.string().min(1).optional(),
  /** Relative size (normalised over groups). */
  share: z.number().positive(),
  /** Persona conditions typical of the group, at most one per attribute; empty = no persona tie. */
  signature: z
    .array(ZAttributeConditionSchema)
    .default([])
    .refine((conditions) => new Set(conditions.map((c) => c.attribute)).size === conditions.length, {
      message: "A signature names each attribute at most once",
    }),
  /** Log-odds strengths by model id; models not listed get generated strengths. */
  strengths: z.record(z.string(), z.number()).optional(),
});
export type TGroupSpec = z.input<typeof ZGroupSpecSchema>;

const ZShareSchema = z.number().min(0).max(1);

/**
 * Everything a simulated population is drawn from. Every field but `annotators` and `models` has
 * a default; `resolveSimulationConfig` fills them in and rejects impossible combinations.
 */
const ZSimulationConfigSchema = z
  .object({
    /** Number of annotators. */
    annotators: z.number().int().min(1).max(1_000_000),
    /** Model ids given by the caller (registry ids, slugs…); at least two, unique. */
    models: z
      .array(z.string().min(1))
      .min(2)
      .refine((ids) => new Set(ids).size === ids.length, { message: "Model ids must be unique" }),
    /** Latent groups; default one group without persona tie (a homogeneous population). */
    groups: z.array(ZGroupSpecSchema).min(1).default([{ share: 1, signature: [] }]),
    /**
     * How strongly group membership shows in the persona, 0–1: each signature condition holds with
     * this probability, otherwise the attribute takes a base (uniform) draw.
     */
    personaLink: ZShareSchema.default(0.8),
    /** Log-odds SD of generated strengths: `shared` by all groups, `group` each group's own deviation. */
    strengthSpread: z
      .object({ shared: z.number().min(0).default(0.6), group: z.number().min(0).default(0.8) })
      .default({ shared: 0.6, group: 0.8 }),
    /** Mean votes per annotator; counts are log-normal with SD `activitySpread` (log units). */
    votesPerAnnotator: z.number().positive().default(40),
    activitySpread: z.number().min(0).max(3).default(0.8),
    minVotes: z.number().int().min(0).default(1),
    maxVotes: z.number().int().min(1).default(10_000),
    /** Share of an ordinary voter's votes that are ties. */
    tieRate: ZShareSchema.default(0.1),
    /** Average share of both-bad votes; likelier when both models are weak. */
    bothBadRate: ZShareSchema.default(0.05),
    /** Share of annotators leaning to the left side, and the lean in log-odds. */
    positionBias: z
      .object({ share: ZShareSchema.default(0.1), logOdds: z.number().min(0).default(0.8) })
      .default({ share: 0.1, logOdds: 0.8 }),
    /** Share of annotators who flip a coin between the sides within seconds, without reading. */
    tooFastShare: ZShareSchema.default(0.03),
    /** Share of persona answers left as "prefer not to say". */
    missingRate: ZShareSchema.default(0.05),
    /** Votes fall in [start, start + days·24 h); start in ms since the epoch. */
    window: z
      .object({ start: z.number().int().default(Date.UTC(2026, 0, 1)), days: z.number().positive().default(60) })
      .default({ start: Date.UTC(2026, 0, 1), days: 60 }),
    /** Modality recorded on every vote. */
    modality: z.enum(MODALITIES).default("text"),
  })
  .refine((config) => config.minVotes <= config.maxVotes, { message: "minVotes exceeds maxVotes", path: ["minVotes"] })
  .refine((config) => config.tieRate + 2 * config.bothBadRate < 1, {
    message: "tieRate + 2·bothBadRate must stay below 1 (both-bad doubles for the weakest pairs)",
    path: ["tieRate"],
  })
  .refine((config) => config.positionBias.share + config.tooFastShare <= 1, {
    message: "positionBias.share + tooFastShare exceeds 1",
    path: ["tooFastShare"],
  });

export type TSimulationConfig = z.input<typeof ZSimulationConfigSchema>;

interface TResolvedGroup {
  id: string;
  label: string;
  /** Normalised share. */
  share: number;
  signature: TAttributeCondition[];
  strengths?: Record<string, number>;
}

export type TResolvedSimulationConfig = Omit<z.output<typeof ZSimulationConfigSchema>, "groups"> & { groups: TResolvedGroup[] };

/** Raised for a config the simulator cannot honour; the message names the offending field. */
export class SimulationConfigError extends Error {
  override name = "SimulationConfigError";
}

/** Validates a config and fills in every default (ids, labels, normalised shares). */
export function resolveSimulationConfig(config: TSimulationConfig): TResolvedSimulationConfig {
  const parsed = ZSimulationConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SimulationConfigError(`${issue.path.join(".") || "config"}: ${issue.message}`);
  }
  const totalShare = parsed.data.groups.reduce((sum, group) => sum + group.share, 0);
  const groups = parsed.data.groups.map((group, index) => ({
    id: group.id ?? `g${index}`,
    label: group.label ?? (group.signature.length > 0 ? group.signature.map((c) => attributeValueLabel(c.attribute, c.value)).join(" · ") : "Everyone"),
    share: group.share / totalShare,
    signature: group.signature,
    strengths: group.strengths,
  }));
  if (new Set(groups.map((group) => group.id)).size !== groups.length) throw new SimulationConfigError("groups: ids must be unique");
  const modelIds = new Set(parsed.data.models);
  for (const group of groups) {
    const unknown = Object.keys(group.strengths ?? {}).find((model) => !modelIds.has(model));
    if (unknown) throw new SimulationConfigError(`groups.${group.id}.strengths: unknown model "${unknown}"`);
  }
  return { ...parsed.data, groups };
}
