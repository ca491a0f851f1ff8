import { personaSegmentConditions, personalSegmentCandidates, segmentKey } from "../leaderboard/segments";
import type { TPersona } from "../persona/schema";
import { createRandom, seedFromString } from "../random";
import { fitBradleyTerry } from "../rating/bradley-terry";
import { shrinkTowardGlobal } from "../rating/segments";
import { RATING_CENTER, RATING_POINTS_PER_STRENGTH } from "../rating/types";
import { annotatorCells, type TAnnotatorVoteData } from "./vote-data";

/**
 * The honest baselines a preference-group model must beat, both predicting from the training
 * annotators' votes only:
 * - the global board: one Bradley–Terry fit over everyone;
 * - the segment board ("for people like you"): the most specific combination of the voter's
 *   persona conditions with at least `minVotes` training votes, shrunk toward the global board with
 *   λ chosen by cross-validation — the same rule as the app's personal leaderboard.
 */
export interface TBaselineBoards {
  models: string[];
  /** Global strengths (natural log-odds). */
  global: Float64Array;
  /** Strengths of the segment board a persona would see (the global board when no segment qualifies). */
  segmentStrengths(persona: TPersona | null): { strengths: Float64Array; segment: string | null };
}

function strengthsFromRatings(models: readonly string[], ratings: Record<string, number>): Float64Array {
  return Float64Array.from(models, (model) => ((ratings[model] ?? RATING_CENTER) - RATING_CENTER) / RATING_POINTS_PER_STRENGTH);
}

export function fitBaselineBoards(data: TAnnotatorVoteData, personas: readonly (TPersona | null)[], options: { minVotes?: number } = {}): TBaselineBoards {
  const minVotes = options.minVotes ?? 50;
  const everyone = Array.from({ length: data.annotators.length }, (_, a) => a);
  const globalFit = fitBradleyTerry(annotatorCells(data, everyone));
  const globalRatings = Object.fromEntries(data.models.map((model, m) => [model, globalFit.ratings[m]]));
  const global = strengthsFromRatings(data.models, globalRatings);

  // Every annotator joins every segment made of a non-empty subset of their conditions.
  const members = new Map<string, number[]>();
  const segmentVotes = new Map<string, number>();
  personas.forEach((persona, a) => {
    if (!persona) return;
    for (const segment of personalSegmentCandidates(personaSegmentConditions(persona))) {
      const key = segmentKey(segment);
      const list = members.get(key);
      if (list) list.push(a);
      else members.set(key, [a]);
      segmentVotes.set(key, (segmentVotes.get(key) ?? 0) + data.votes[a]);
    }
  });
  const cache = new Map<string, Float64Array>();
  const segmentStrengths = (persona: TPersona | null) => {
    const conditions = persona ? personaSegmentConditions(persona) : [];
    for (const segment of personalSegmentCandidates(conditions)) {
      const key = segmentKey(segment);
      if ((segmentVotes.get(key) ?? 0) < minVotes) continue;
      let strengths = cache.get(key);
      if (!strengths) {
        const shrunk = shrinkTowardGlobal(annotatorCells(data, members.get(key)!), globalRatings, undefined, { random: createRandom(seedFromString(`shrink:${key}`)) });
        strengths = strengthsFromRatings(data.models, shrunk.ratings);
        cache.set(key, strengths);
      }
      return { strengths, segment: key };
    }
    return { strengths: global, segment: null };
  };
  return { models: data.models, global, segmentStrengths };
}
