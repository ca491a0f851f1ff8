import type { TPersona } from "../persona/schema";
import { PERSONA_ATTRIBUTES, PERSONA_ATTRIBUTE_VALUES, attributeValueLabel, type TPersonaAttribute } from "../simulation/attributes";
import { personaValueIndices } from "./persona-gate";

export interface TGroupTrait {
  attribute: TPersonaAttribute;
  value: string;
  /** "Expertise: Software and IT". */
  label: string;
  /** Share of the group's members (who answered this question) with this answer. */
  groupShare: number;
  /** The same share over everyone. */
  overallShare: number;
}

/**
 * Describes each group by the persona answers most over-represented in it: for every attribute
 * value, its share among the group's members (posterior-weighted, among those who answered) vs. its
 * share overall; values with groupShare ≥ `minShare` are ranked by groupShare / overallShare and
 * the top `top` are kept (lift must exceed `minLift`). Only aggregates leave this function.
 */
export function describeGroups(
  personas: readonly (TPersona | null)[],
  posteriors: Float64Array,
  groupCount: number,
  options: { top?: number; minShare?: number; minLift?: number } = {},
): TGroupTrait[][] {
  const top = options.top ?? 3;
  const minShare = options.minShare ?? 0.2;
  const minLift = options.minLift ?? 1.2;
  const values = personas.map(personaValueIndices);
  return Array.from({ length: groupCount }, (_, k) => {
    const traits: (TGroupTrait & { lift: number })[] = [];
    PERSONA_ATTRIBUTES.forEach((attribute, position) => {
      const options = PERSONA_ATTRIBUTE_VALUES[attribute];
      const inGroup = new Float64Array(options.length);
      const overall = new Float64Array(options.length);
      let groupAnswered = 0;
      let answered = 0;
      values.forEach((indices, a) => {
        const value = indices[position];
        if (value < 0) return;
        const weight = posteriors[a * groupCount + k];
        inGroup[value] += weight;
        groupAnswered += weight;
        overall[value]++;
        answered++;
      });
      if (groupAnswered === 0 || answered === 0) return;
      options.forEach((value, v) => {
        const groupShare = inGroup[v] / groupAnswered;
        const overallShare = overall[v] / answered;
        const lift = groupShare / overallShare;
        if (groupShare >= minShare && lift >= minLift) traits.push({ attribute, value, label: attributeValueLabel(attribute, value), groupShare, overallShare, lift });
      });
    });
    return traits
      .sort((x, y) => y.lift - x.lift || y.groupShare - x.groupShare)
      .slice(0, top)
      .map(({ lift: _lift, ...trait }) => trait);
  });
}
