import { hash } from "node:crypto";

/**
 * A prompt's duplicate key, as LMArena's deduplication does it: the text normalized (Unicode NFKC,
 * case-folded, punctuation and whitespace runs collapsed) and hashed. Two prompts that differ only in
 * case, spacing or punctuation share a hash. 16 hex characters (64 bits) keep collisions negligible
 * at arena scale while staying short in releases.
 */
export function normalizePrompt(prompt: string): string {
  return prompt
    .normalize("NFKC")
    .toLocaleLowerCase("en")
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
}

/** The one-shot `hash` (Node ≥ 20.12): half the cost of a `createHash` object for a prompt's few hundred bytes. */
export function promptHash(prompt: string): string {
  return hash("sha256", normalizePrompt(prompt), "hex").slice(0, 16);
}

/**
 * LMArena down-samples prompts seen too often (deduplication.py); we down-weight instead, so that no
 * vote is thrown away: each battle of a prompt seen `count` times above `threshold` weighs
 * threshold / count, and a frequent prompt's battles together weigh as much as `threshold` battles.
 */
export function duplicatePromptWeight(count: number, threshold: number): number {
  if (count <= threshold || threshold <= 0) return 1;
  return threshold / count;
}
