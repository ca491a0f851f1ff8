import "server-only";
import { storedCategories } from "@/lib/domain/categories";
import {
  conversationForSide,
  type TReleasedBattle,
  type TReleasedMedia,
  type TReleasedPersona,
  type TReleasedTurn,
} from "@/lib/domain/release/schema";
import type { RawReleaseBattle, RawReleaseResponse } from "./selection";
import { utcDay } from "./window";

const EXTENSION_BY_MIME: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
  "audio/mpeg": "mp3",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/ogg": "ogg",
  "audio/flac": "flac",
  "audio/mp4": "m4a",
};

/** Release-relative path of a media file: `media/<sha256>.<ext>`. */
function releaseMediaPath(sha256: string, mime: string): string {
  return `media/${sha256}.${EXTENSION_BY_MIME[mime.toLowerCase()] ?? "bin"}`;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface AssembleContext {
  annotator: string;
  /** The released battle id: the public id, or a keyed per-release id (pseudonym scope `per_release`). */
  battleId: string;
  persona: TReleasedPersona;
  /** The annotator's release text filter (buildReleaseTextFilter): scrubbing and persona-safe text. */
  filterText: (text: string) => string;
  /** Called for each media output a model may redistribute: the file will be in the release. */
  includeMedia: (sha256: string, path: string) => void;
}

function releasedMedia(response: RawReleaseResponse | null, redistributable: boolean, context: AssembleContext): TReleasedMedia | undefined {
  const sha256 = response?.mediaSha256;
  if (!sha256 || !SHA256_HEX.test(sha256)) return undefined;
  const mime = response.mediaMime || "application/octet-stream";
  if (!redistributable) return { sha256, mime };
  const file = releaseMediaPath(sha256, mime);
  context.includeMedia(sha256, file);
  return { sha256, mime, file };
}

/**
 * The released form of one vote: filtered text (personal data scrubbed, withheld persona values replaced), coarsened date, public battle id, pseudonym and
 * generalized persona. Nothing else of the database row leaves: no user, vote or battle database id.
 */
export function assembleReleasedBattle(raw: RawReleaseBattle, context: AssembleContext): TReleasedBattle {
  const scrubbed = (text: string | null | undefined) => (text ? context.filterText(text) : "");
  const turns: TReleasedTurn[] = raw.turns.map((turn) => {
    const released: TReleasedTurn = { prompt: scrubbed(turn.prompt), answer_a: scrubbed(turn.a?.text), answer_b: scrubbed(turn.b?.text) };
    const mediaA = releasedMedia(turn.a, raw.redistributableA, context);
    const mediaB = releasedMedia(turn.b, raw.redistributableB, context);
    if (mediaA) released.media_a = mediaA;
    if (mediaB) released.media_b = mediaB;
    return released;
  });
  const feedback: TReleasedBattle["feedback"] = {};
  if (raw.feedbackGeneral) feedback.general = scrubbed(raw.feedbackGeneral);
  if (raw.feedbackA) feedback.a = scrubbed(raw.feedbackA);
  if (raw.feedbackB) feedback.b = scrubbed(raw.feedbackB);
  const listening =
    raw.modality === "audio"
      ? {
          ...(raw.listenSecondsA !== null && raw.listenSecondsA >= 0 ? { seconds_a: raw.listenSecondsA } : {}),
          ...(raw.listenSecondsB !== null && raw.listenSecondsB >= 0 ? { seconds_b: raw.listenSecondsB } : {}),
        }
      : null;
  return {
    battle_id: context.battleId,
    modality: raw.modality,
    date: utcDay(raw.createdAt),
    model_a: raw.modelA,
    model_b: raw.modelB,
    winner: raw.outcome,
    personalized_a: raw.personalizedA,
    personalized_b: raw.personalizedB,
    category: storedCategories(raw.categories),
    language: raw.language,
    prompt_hash: raw.promptHash,
    system_prompt_a: raw.personalizedA && raw.turns[0]?.systemPrompt ? context.filterText(raw.turns[0].systemPrompt) : null,
    system_prompt_b: raw.personalizedB && raw.turns[0]?.systemPrompt ? context.filterText(raw.turns[0].systemPrompt) : null,
    turns,
    feedback,
    listening,
    persona: context.persona,
    annotator: context.annotator,
    conversation_a: conversationForSide(turns, "a"),
    conversation_b: conversationForSide(turns, "b"),
  };
}
