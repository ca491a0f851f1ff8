"use client";

import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { VOTE_OUTCOME_LABELS, type TVoteOutcome } from "@/lib/domain/vocabulary";

const VOTE_CHOICES: ReadonlyArray<{ outcome: TVoteOutcome; label: string; keys: [string, string] }> = [
  { outcome: "model_a", label: VOTE_OUTCOME_LABELS.model_a, keys: ["1", "a"] },
  { outcome: "model_b", label: VOTE_OUTCOME_LABELS.model_b, keys: ["2", "b"] },
  { outcome: "tie", label: VOTE_OUTCOME_LABELS.tie, keys: ["3", "t"] },
  { outcome: "both_bad", label: VOTE_OUTCOME_LABELS.both_bad, keys: ["4", "x"] },
];

/** The outcome a key press stands for (1/A, 2/B, 3/T, 4/X), or null. */
function outcomeForKey(key: string): TVoteOutcome | null {
  const lower = key.toLowerCase();
  return VOTE_CHOICES.find((choice) => choice.keys.includes(lower))?.outcome ?? null;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** The four vote buttons; the keyboard shortcuts work anywhere on the page except while typing. */
export function VoteBar({ enabled, pending, onVote, hint }: { enabled: boolean; pending: boolean; onVote: (outcome: TVoteOutcome) => void; hint: string | null }) {
  const onVoteRef = useRef(onVote);
  useEffect(() => {
    onVoteRef.current = onVote;
  });
  useEffect(() => {
    if (!enabled || pending) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      const outcome = outcomeForKey(event.key);
      if (!outcome) return;
      event.preventDefault();
      onVoteRef.current(outcome);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled, pending]);

  return (
    <div className="space-y-2">
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-4" role="group" aria-label="Your vote">
        {VOTE_CHOICES.map((choice) => (
          <Button
            key={choice.outcome}
            variant={choice.outcome === "model_a" || choice.outcome === "model_b" ? "primary" : "secondary"}
            disabled={!enabled || pending}
            onClick={() => onVote(choice.outcome)}
            aria-keyshortcuts={`${choice.keys[0]} ${choice.keys[1].toUpperCase()}`}
            className="py-3"
          >
            {choice.label}
            <kbd className="hidden rounded border border-current/30 px-1 text-[10px] font-normal opacity-70 sm:inline">{choice.keys[0]}</kbd>
          </Button>
        ))}
      </div>
      <p className="text-xs text-slate-500">
        {hint ?? "Keyboard: 1 or A — A is better · 2 or B — B is better · 3 or T — tie · 4 or X — both are bad."}
      </p>
    </div>
  );
}
