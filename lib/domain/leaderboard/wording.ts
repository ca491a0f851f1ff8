import type { TLeaderboardData, TLeaderboardRow } from "./snapshot";

/** "1 vote", "2 votes", "1,234 votes". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? singular : plural}`;
}

/** What a lay reader needs to read the table, in two sentences. */
export const INTERVAL_EXPLANATION =
  "The 95% interval is the range the model's true score very likely lies in, given the votes so far; it narrows as votes come in. " +
  "Rank (UB) is 1 plus the number of models whose whole interval lies above this model's, so models that cannot yet be told apart share a rank.";

/** One sentence on how the scores were estimated, from the snapshot's method (null for old snapshots). */
export function methodSentence(method: TLeaderboardData["method"]): string | null {
  if (!method) return null;
  const prior =
    method.priorSdPoints === null
      ? "Bradley–Terry scores (maximum likelihood)"
      : `Bradley–Terry scores with a weak prior (a Gaussian with SD ${method.priorSdPoints} points on each model's strength) that keeps early scores finite and fades as votes come in`;
  const intervals =
    method.intervals === "bootstrap"
      ? `intervals from ${countOf(method.bootstrapRounds, "bootstrap round")}`
      : method.intervals === "bootstrap-or-posterior"
        ? `intervals from ${countOf(method.bootstrapRounds, "bootstrap round")}, never narrower than the prior's posterior interval`
        : method.intervals === "posterior"
          ? "intervals from the posterior (Laplace approximation)"
          : "no intervals";
  return `${prior}; ${intervals}. A model is ranked once it has ${countOf(method.minVotes, "vote")} and both a win and a loss.`;
}

/** Rows of each comparison group, in the stored order (groups by votes, then score). */
export function rowsByGroup(rows: readonly TLeaderboardRow[]): { group: number; rows: TLeaderboardRow[] }[] {
  const groups = new Map<number, TLeaderboardRow[]>();
  for (const row of rows) groups.set(row.group, [...(groups.get(row.group) ?? []), row]);
  return [...groups.entries()].map(([group, members]) => ({ group, rows: [...members].sort((x, y) => y.rating - x.rating) }));
}

/** How much a segment board leans on the overall board, in words; null for boards that are not shrunk. */
export function shrinkageSentence(shrinkage: TLeaderboardData["shrinkage"]): string | null {
  if (!shrinkage) return null;
  const own = Math.round(shrinkage.ownWeight * 100);
  const lean =
    own >= 99
      ? "These scores come almost entirely from this group's own votes."
      : own <= 1
        ? "These scores are almost exactly the Overall scores: this group's own votes carry under 1% of the weight, too few to move them."
        : `This group's own votes carry ${own}% of the weight (about ${countOf(Math.round(shrinkage.effectiveVotes), "vote")}' worth); the other ${100 - own}% comes from the Overall board, so small groups do not show noise.`;
  return shrinkage.noDetectableDifference ? `${lean} No detectable difference: every model's score among these voters is within its interval of its Overall score.` : lean;
}

/** Display names of the style covariates. */
export const STYLE_FEATURE_LABELS: Record<string, string> = { tokens: "Answer length", headers: "Headers", lists: "List items", bold: "Bold text" };
