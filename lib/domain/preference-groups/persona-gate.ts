import type { TPersona } from "../persona/schema";
import { PERSONA_ATTRIBUTES, PERSONA_ATTRIBUTE_VALUES, personaAttributeValue, type TPersonaAttribute } from "../simulation/attributes";

/**
 * What a persona says about group membership: naive Bayes over the categorical persona
 * attributes, fitted on the mixture's posterior group weights (soft labels).
 * P(k | persona) ∝ π_k · Π_attributes P(value | k); unknown answers are skipped.
 * Invariant: with no persona (or only unknown answers) the gate returns π.
 */
export interface TPersonaGate {
  groupCount: number;
  weights: Float64Array;
  /** log P(value | group) per attribute, row-major K×V in PERSONA_ATTRIBUTE_VALUES order. */
  logTables: Record<TPersonaAttribute, Float64Array>;
}

/** Attribute value indices of a persona (−1 = unknown), in PERSONA_ATTRIBUTES order. */
export function personaValueIndices(persona: TPersona | null): Int8Array {
  const indices = new Int8Array(PERSONA_ATTRIBUTES.length).fill(-1);
  if (!persona) return indices;
  PERSONA_ATTRIBUTES.forEach((attribute, position) => {
    const value = personaAttributeValue(persona, attribute);
    if (value !== null) indices[position] = PERSONA_ATTRIBUTE_VALUES[attribute].indexOf(value);
  });
  return indices;
}

/**
 * Fits the gate from personas (aligned with the responsibilities' rows, null = none) and the
 * A×K responsibilities. `smoothing` pseudo-counts per value keep rare values finite.
 */
export function fitPersonaGate(personas: readonly (TPersona | null)[], responsibilities: Float64Array, groupCount: number, options: { smoothing?: number } = {}): TPersonaGate {
  const smoothing = options.smoothing ?? 1;
  const values = personas.map(personaValueIndices);
  const weights = new Float64Array(groupCount);
  for (let a = 0; a < personas.length; a++) for (let k = 0; k < groupCount; k++) weights[k] += responsibilities[a * groupCount + k];
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  for (let k = 0; k < groupCount; k++) weights[k] = (weights[k] + smoothing) / (total + groupCount * smoothing);
  const logTables = {} as Record<TPersonaAttribute, Float64Array>;
  PERSONA_ATTRIBUTES.forEach((attribute, position) => {
    const size = PERSONA_ATTRIBUTE_VALUES[attribute].length;
    const counts = new Float64Array(groupCount * size);
    for (let a = 0; a < values.length; a++) {
      const value = values[a][position];
      if (value < 0) continue;
      for (let k = 0; k < groupCount; k++) counts[k * size + value] += responsibilities[a * groupCount + k];
    }
    const table = new Float64Array(groupCount * size);
    for (let k = 0; k < groupCount; k++) {
      let rowTotal = 0;
      for (let v = 0; v < size; v++) rowTotal += counts[k * size + v];
      for (let v = 0; v < size; v++) table[k * size + v] = Math.log((counts[k * size + v] + smoothing) / (rowTotal + size * smoothing));
    }
    logTables[attribute] = table;
  });
  return { groupCount, weights, logTables };
}

/** log P(k | persona) up to a constant shared by all k (unnormalised). */
function gateLogScores(gate: TPersonaGate, persona: TPersona | null, into?: Float64Array): Float64Array {
  const scores = into ?? new Float64Array(gate.groupCount);
  for (let k = 0; k < gate.groupCount; k++) scores[k] = Math.log(gate.weights[k]);
  const values = personaValueIndices(persona);
  PERSONA_ATTRIBUTES.forEach((attribute, position) => {
    const value = values[position];
    if (value < 0) return;
    const size = PERSONA_ATTRIBUTE_VALUES[attribute].length;
    for (let k = 0; k < gate.groupCount; k++) scores[k] += gate.logTables[attribute][k * size + value];
  });
  return scores;
}

/** P(k | persona), normalised. */
export function gateProbabilities(gate: TPersonaGate, persona: TPersona | null): Float64Array {
  const scores = gateLogScores(gate, persona);
  const top = Math.max(...scores);
  let total = 0;
  for (let k = 0; k < scores.length; k++) {
    scores[k] = Math.exp(scores[k] - top);
    total += scores[k];
  }
  for (let k = 0; k < scores.length; k++) scores[k] /= total;
  return scores;
}
