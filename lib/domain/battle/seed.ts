import { seedFromString } from "../random";

/**
 * Per-battle randomness for deterministic models. Each battle draws a seed when it is created and
 * stores it; every turn derives its own seed from it, so a battle's outputs can be reproduced from
 * the stored seed while the same prompt in another battle gets other outputs (a repeated prompt
 * must not identify the model).
 */
export const MAX_BATTLE_SEED = 2_147_483_647;

/** The seed of turn `turnIndex` of a battle whose stored seed is `battleSeed`. */
export function turnSeed(battleSeed: number, turnIndex: number): number {
  return seedFromString(`battle:${battleSeed}:turn:${turnIndex}`);
}
