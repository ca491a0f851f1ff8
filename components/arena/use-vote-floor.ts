"use client";

import { useEffect, useState } from "react";

/**
 * The browser's side of the server's time gate on votes: voting opens `seconds` after a set of answers
 * became ready here (never sooner than the server measures, since the server delivered them first), so
 * an annotator's vote is not stored uncounted as too fast. `readyKey` names the set of answers that is
 * ready (battle, turn and attempts), null while none is.
 */
export function useVoteFloor(readyKey: string | null, seconds: number): boolean {
  const [passedFor, setPassedFor] = useState<string | null>(null);
  useEffect(() => {
    if (readyKey === null || seconds <= 0) return;
    const timer = setTimeout(() => setPassedFor(readyKey), seconds * 1000);
    return () => clearTimeout(timer);
  }, [readyKey, seconds]);
  return readyKey === null || seconds <= 0 || passedFor === readyKey;
}
