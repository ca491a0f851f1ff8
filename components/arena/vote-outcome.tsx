import type { TBattleView } from "@/lib/server/services/battle-view";

const EXCLUSION_REASONS: Record<string, string> = {
  post_reveal: "the models were revealed before you voted",
  identity_leak: "an answer revealed which model or company wrote it",
  too_fast_to_read: "it came sooner after the answers appeared than anyone could read them",
  too_fast_to_listen: "it came sooner after the clips arrived than anyone could listen to both",
  duplicate_prompt: "this exact prompt has already been rated many times, so more votes on it would skew the leaderboard",
};

/** What the annotator chose, restated with the revealed names when known. */
export function describeChoice(outcome: NonNullable<TBattleView["vote"]>["outcome"], models: TBattleView["models"]): string {
  const name = (side: "a" | "b") => (models ? ` (${models[side].displayName})` : "");
  switch (outcome) {
    case "model_a":
      return `You preferred Model A${name("a")}.`;
    case "model_b":
      return `You preferred Model B${name("b")}.`;
    case "tie":
      return "You judged it a tie.";
    case "both_bad":
      return "You judged both answers bad.";
  }
}

/** The thanks box after a vote: the annotator's choice, the revealed models, and whether the vote counts. */
export function VoteOutcome({ battle }: { battle: TBattleView }) {
  const vote = battle.vote!;
  const reasons = vote.invalidReasons.map((reason) => EXCLUSION_REASONS[reason] ?? reason);
  return (
    <section aria-label="Result" className="space-y-2 rounded-2xl border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-900" data-testid="vote-result">
      <p className="font-semibold">Thanks for your vote!</p>
      <p data-testid="vote-choice">{describeChoice(vote.outcome, battle.models)}</p>
      {battle.models ? (
        <p>
          Model A was <strong>{battle.models.a.displayName}</strong> ({battle.models.a.organizationName}); Model B was{" "}
          <strong>{battle.models.b.displayName}</strong> ({battle.models.b.organizationName}).
        </p>
      ) : null}
      <p className="text-emerald-800">
        {vote.countsForRating ? "It counts toward the leaderboard." : `It is kept, but does not count toward the leaderboard because ${reasons.join(" and ")}.`}
      </p>
    </section>
  );
}
