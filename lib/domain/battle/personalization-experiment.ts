import type { Random } from "../random";

/**
 * Which sides of a new battle see the annotator's persona. Without a persona both sides answer
 * generically. Otherwise a share `experimentShare` of battles is a personalization experiment: exactly
 * one side, chosen at random, sees the persona and the other answers generically, which is what lets
 * the lift of personalization be measured per model (lib/domain/rating/personalization-lift.ts).
 */
export function choosePersonalizedSides(hasPersona: boolean, experimentShare: number, random: Random): { a: boolean; b: boolean } {
  if (!hasPersona) return { a: false, b: false };
  if (random() >= experimentShare) return { a: true, b: true };
  const personalizedA = random() < 0.5;
  return { a: personalizedA, b: !personalizedA };
}
