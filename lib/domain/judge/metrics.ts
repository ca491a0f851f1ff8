import type { TVoteOutcome } from "../vocabulary";
import { choiceMatchesOutcome, type TJudgeAbstentionReason, type TJudgeVerdict } from "./parse";

/** One judged battle: the human's vote and the judge's verdict, or why it abstained. */
export interface TJudgedItem {
  human: TVoteOutcome;
  verdict: TJudgeVerdict | null;
  abstention?: TJudgeAbstentionReason;
}

interface TCoveragePoint {
  /** Verdicts at or above this certainty. */
  minCertainty: number;
  /** Their share of all items (abstentions included in the denominator). */
  coverage: number;
  /** Share of them that match the human vote; null when there are none. */
  agreement: number | null;
  items: number;
}

export interface TAgreementSummary {
  items: number;
  answered: number;
  abstained: number;
  abstentions: Partial<Record<TJudgeAbstentionReason, number>>;
  /** Agreement among answered items; null when none. */
  agreement: number | null;
  /** Certainty 1…10: the certainty–coverage curve. */
  curve: TCoveragePoint[];
}

/**
 * Agreement with human votes, overall and as a certainty–coverage curve: for each certainty c,
 * the agreement on the verdicts with certainty ≥ c and the share of all items they cover.
 * Abstentions never count as agreement; they lower coverage and are tallied by reason.
 */
export function summariseAgreement(items: readonly TJudgedItem[]): TAgreementSummary {
  const abstentions: Partial<Record<TJudgeAbstentionReason, number>> = {};
  const atCertainty = Array.from({ length: 11 }, () => ({ items: 0, agreed: 0 }));
  let answered = 0;
  let agreed = 0;
  for (const item of items) {
    if (!item.verdict) {
      const reason = item.abstention ?? "invalid_fields";
      abstentions[reason] = (abstentions[reason] ?? 0) + 1;
      continue;
    }
    answered++;
    const match = choiceMatchesOutcome(item.verdict.choice, item.human);
    if (match) agreed++;
    atCertainty[item.verdict.certainty].items++;
    if (match) atCertainty[item.verdict.certainty].agreed++;
  }
  const curve: TCoveragePoint[] = [];
  let cumulativeItems = 0;
  let cumulativeAgreed = 0;
  for (let c = 10; c >= 1; c--) {
    cumulativeItems += atCertainty[c].items;
    cumulativeAgreed += atCertainty[c].agreed;
    curve.unshift({
      minCertainty: c,
      coverage: items.length ? cumulativeItems / items.length : 0,
      agreement: cumulativeItems ? cumulativeAgreed / cumulativeItems : null,
      items: cumulativeItems,
    });
  }
  return { items: items.length, answered, abstained: items.length - answered, abstentions, agreement: answered ? agreed / answered : null, curve };
}

/**
 * A statistical predictor as a judge: it picks the side it gives ≥ 0.5 and its certainty grows
 * with its confidence, 1 at p = 0.5 to 10 at p ∈ {0, 1}, so its curve is comparable to a judge's.
 */
export function verdictFromProbability(leftWins: number, rationale: string): TJudgeVerdict {
  const confidence = Math.abs(2 * leftWins - 1);
  return { choice: leftWins >= 0.5 ? "A" : "B", rationale, certainty: Math.max(1, Math.min(10, 1 + Math.floor(confidence * 10))) };
}
