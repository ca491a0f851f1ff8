import "server-only";
import { publicFailureMessage } from "@/lib/domain/battle/failure-message";
import { EMPTY_SIDE, SIDES, type TSide, type TSideSnapshot } from "@/lib/domain/battle/stream-events";
import type { Response } from "@/lib/generated/sqlite/client";

type TStoredResponse = Pick<Response, "side" | "status" | "text" | "errorKind" | "errorMessage" | "mediaSha256" | "mediaMime" | "durationSeconds" | "attempt">;

/** A saved response as the event stream and the battle page show it: a failure in words naming no model (the stored error is for admins). */
function toSideSnapshot(response: TStoredResponse | undefined): TSideSnapshot {
  if (!response) return EMPTY_SIDE;
  return {
    status: response.status,
    text: response.text ?? "",
    errorKind: response.errorKind,
    errorMessage: response.status === "error" ? publicFailureMessage(response.errorKind, response.errorMessage) : null,
    media: response.mediaSha256 && response.mediaMime ? { sha256: response.mediaSha256, mime: response.mediaMime, durationSeconds: response.durationSeconds } : null,
    attempt: response.attempt,
  };
}

export function sidesOf(responses: readonly TStoredResponse[]): Record<TSide, TSideSnapshot> {
  return Object.fromEntries(SIDES.map((side) => [side, toSideSnapshot(responses.find((response) => response.side === side))])) as Record<TSide, TSideSnapshot>;
}

/** A side that finished with something to judge: complete, with text or media. */
export function hasUsableAnswer(side: TSideSnapshot): boolean {
  return side.status === "complete" && (side.text.trim() !== "" || side.media !== null);
}
