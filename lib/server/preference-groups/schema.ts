import { z } from "zod";
import { MODALITIES } from "@/lib/domain/vocabulary";

/**
 * The stored and published shape of one preference-group fit (PreferenceGroupFit.data, the tRPC
 * answer and /api/v1/preference-groups). Only aggregates: no user ids, and a group's persona
 * description is withheld below MIN_DESCRIBED_MEMBERS members.
 */
const ZGroupTraitSchema = z.object({
  attribute: z.string(),
  value: z.string(),
  label: z.string(),
  groupShare: z.number().min(0).max(1),
  overallShare: z.number().min(0).max(1),
});

const ZGroupRowSchema = z.object({
  rank: z.number().int().min(1),
  modelId: z.string(),
  slug: z.string(),
  displayName: z.string(),
  rating: z.number(),
  /** Posterior-weighted votes of the group's members on this model. */
  votes: z.number().min(0),
});

const ZPreferenceGroupSchema = z.object({
  index: z.number().int().min(0),
  /** π_k. */
  share: z.number().min(0).max(1),
  /** Annotators whose most likely group this is. */
  members: z.number().int().min(0),
  traits: z.array(ZGroupTraitSchema),
  rows: z.array(ZGroupRowSchema),
});

export const ZPreferenceGroupsDataSchema = z.object({
  modality: z.enum(MODALITIES),
  computedAt: z.string(),
  voteCount: z.number().int().min(0),
  annotatorCount: z.number().int().min(0),
  groupCount: z.number().int().min(1),
  /** Cross-validated held-out log-likelihood per vote for each K tried. */
  selection: z.array(z.object({ groups: z.number().int(), perVote: z.number(), standardError: z.number() })),
  groups: z.array(ZPreferenceGroupSchema),
});
export type TPreferenceGroupsData = z.infer<typeof ZPreferenceGroupsDataSchema>;
export type TPreferenceGroup = z.infer<typeof ZPreferenceGroupSchema>;

/** Groups with fewer members show no persona description (it could single people out). */
export const MIN_DESCRIBED_MEMBERS = 10;
/** A modality is fitted once it has this many counted votes. */
export const MIN_VOTES_TO_FIT = 200;
