import "server-only";
import { isPromptCategory, PROMPT_CATEGORIES, type TPromptCategory } from "@/lib/domain/categories";
import { env } from "@/lib/env";
import type { Db } from "@/lib/server/db";
import { getRuntimeProvider } from "@/lib/server/services/models-runtime";
import { classifyByRules } from "@/lib/server/services/prompt-rules-thread";
import { storeOf, type TBattleTagging } from "@/lib/server/store";

/**
 * Tags voted text battles with prompt categories and a language (issue 20). The classifier is
 * pluggable through CATEGORY_CLASSIFIER: `rules` (default, offline: lib/domain/categories) or
 * `model:<slug>`, any registered text model asked through the provider interface. A model's answer
 * that cannot be read, or a model that fails, falls back to the rules for that battle, and
 * `categorizedBy` records which classifier tagged it. The language always comes from the language
 * identifier. Runs in the background right after votes (before the leaderboards are refitted), never
 * on the request path; the rules and the language identifier run on a thread of their own
 * (./prompt-rules-thread.ts), off the event loop that serves votes.
 */
const BATCH = 500;

export const RULES_CLASSIFIER = "rules-v1";

/** The instruction a model classifier receives. */
function categoryClassifierMessages(turns: readonly string[]) {
  const conversation = turns.map((turn, index) => `Turn ${index + 1}: ${turn}`).join("\n");
  return [
    {
      role: "system" as const,
      content:
        "You label user prompts for a chatbot arena. Categories: coding, math, creative_writing, instruction_following " +
        "(explicit constraints on the answer's form), hard_prompt (meets at least 6 of: specificity, domain knowledge, complexity, " +
        "problem solving, creativity, technical accuracy, real world). Reply with a JSON array of the categories that apply, " +
        'for example ["coding"] or [], and nothing else.',
    },
    { role: "user" as const, content: conversation },
  ];
}

/** The categories in a model classifier's reply, or null when the reply is not a JSON array of known categories. */
export function parseClassifierReply(reply: string): TPromptCategory[] | null {
  const match = /\[[^\]]*\]/u.exec(reply);
  if (!match) return null;
  try {
    const parsed: unknown = JSON.parse(match[0]);
    if (!Array.isArray(parsed) || !parsed.every((value) => isPromptCategory(value) && value !== "multi_turn")) return null;
    return PROMPT_CATEGORIES.filter((category) => (parsed as string[]).includes(category));
  } catch {
    return null;
  }
}

async function askModel(db: Db, slug: string, turns: readonly string[]): Promise<TPromptCategory[] | null> {
  const model = await db.arenaModel.findUnique({ where: { slug } });
  if (!model || model.modality !== "text") return null;
  const runtime = getRuntimeProvider(model);
  if (runtime.modality !== "text") return null;
  const provider = runtime.provider;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), model.timeoutMs);
  try {
    for await (const event of provider.streamChat({ messages: categoryClassifierMessages(turns), signal: controller.signal })) {
      if (event.type === "done") return parseClassifierReply(event.text);
      if (event.type === "error") return null;
    }
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Tags every voted, untagged text battle; returns how many were tagged. */
export async function categorizePendingBattles(db: Db): Promise<number> {
  const modelSlug = env.CATEGORY_CLASSIFIER.startsWith("model:") ? env.CATEGORY_CLASSIFIER.slice("model:".length) : null;
  const store = await storeOf(db);
  let tagged = 0;
  for (;;) {
    const pending = await store.readUntaggedBattles(BATCH);
    if (pending.length === 0) return tagged;
    const verdicts = await classifyByRules(pending.map((battle) => battle.prompts));
    // Battles tagged alike are written together: one statement (PostgreSQL) or transaction (SQLite) per pass.
    const taggings = new Map<string, TBattleTagging>();
    for (const [index, battle] of pending.entries()) {
      const turns = battle.prompts;
      const byRules = verdicts[index]!;
      let categories = byRules.categories;
      let categorizedBy = RULES_CLASSIFIER;
      if (modelSlug) {
        const byModel = await askModel(db, modelSlug, turns);
        if (byModel) {
          // Multi-turn is a fact of the conversation, not a judgement.
          categories = PROMPT_CATEGORIES.filter((category) => (category === "multi_turn" ? turns.length > 1 : byModel.includes(category)));
          categorizedBy = `model:${modelSlug}`;
        }
      }
      const data = { categories: categories.join(","), language: byRules.language, categorizedBy };
      const key = JSON.stringify(data);
      const tagging = taggings.get(key);
      if (tagging) tagging.battleIds.push(battle.id);
      else taggings.set(key, { ...data, battleIds: [battle.id] });
    }
    // A battle deleted meanwhile (account deletion) is simply skipped.
    await store.tagBattles([...taggings.values()]);
    tagged += pending.length;
    if (pending.length < BATCH) return tagged;
  }
}

/** Categorization waits this long after a vote so that a burst of votes is tagged in one pass. */
const CATEGORIZE_DEBOUNCE_MS = 250;
const pending = globalThis as unknown as { arenaCategorizeTimer?: NodeJS.Timeout | null; arenaCategorizeRunning?: Promise<unknown> | null };

/** Called after each text vote: tags it (and any other untagged voted battle) shortly after, off the request path. */
export function scheduleBattleCategorization(db: Db): void {
  if (pending.arenaCategorizeTimer) return;
  pending.arenaCategorizeTimer = setTimeout(() => {
    pending.arenaCategorizeTimer = null;
    const previous = pending.arenaCategorizeRunning ?? Promise.resolve();
    pending.arenaCategorizeRunning = previous
      .then(() => categorizePendingBattles(db))
      .catch((error: unknown) => console.error("[categories] tagging failed", error));
  }, CATEGORIZE_DEBOUNCE_MS);
  pending.arenaCategorizeTimer.unref?.();
}
