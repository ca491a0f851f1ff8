/**
 * Issue 16, text side, through the app's tRPC API: personal data typed into prompts, follow-ups,
 * feedback and persona fields is refused field by field; a stored persona value carrying personal data
 * never reaches a model; and a published release holds neither the annotator's withheld persona facts
 * (echoed by the personalized demo answers) nor their account name and email local part.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import type { TPersona } from "@/lib/domain/persona";
import { forgetActiveModels } from "@/lib/server/battles/model-pool";
import { publishRelease, releaseDirectory } from "@/lib/server/services/releases";
import { collectRound, expectTrpcError, newAnnotator } from "../battles/battle-test-support";
import { resetDatabase } from "../helpers/db";
import { db, tempReleaseDir } from "./release-fixtures";

const now = new Date();
const WINDOW = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
const PUBLISH_AT = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));

const PERSONA: TPersona = {
  country: "LI",
  occupation: "glaciologist",
  ageBand: "25-34",
  languages: ["de", "en"],
  expertise: "science",
  aboutMe: "I ski every weekend near Malbun with my dog Fenrir.",
  preferences: { detail: 20 },
};

async function useDemoModels() {
  await db.arenaModel.updateMany({ where: { modality: "text" }, data: { status: "retired" } });
  const organization = await db.organization.upsert({ where: { slug: "demo-org" }, create: { slug: "demo-org", name: "Demo" }, update: {} });
  for (const personality of ["concise-expert", "formal-analyst"]) {
    await db.arenaModel.create({
      data: {
        slug: `demo-${personality}`,
        displayName: `Demo ${personality}`,
        organizationId: organization.id,
        modality: "text",
        providerKind: "demo_text",
        providerModelId: personality,
        extraParams: { tokensPerSecond: 1_000_000 },
        maxTokens: 2_000,
      },
    });
  }
  forgetActiveModels();
}

function fieldErrorsOf(error: TRPCError): Record<string, string> {
  return (error.cause as { fieldErrors?: Record<string, string> } | undefined)?.fieldErrors ?? {};
}

describe("personal data at entry and persona facts in released text", () => {
  let caller: Awaited<ReturnType<typeof newAnnotator>>["caller"];
  let userId: string;

  beforeAll(async () => {
    await resetDatabase(db);
    await useDemoModels();
    const annotator = await newAnnotator({ consent: true });
    caller = annotator.caller;
    userId = annotator.user.id;
    await db.user.update({ where: { id: userId }, data: { name: "Zoltan Kertesz", email: "zkertesz77@example.org", isGuest: false } });
  });

  it("refuses personal data in free-text persona fields, naming each field, and stores nothing", async () => {
    const error = await expectTrpcError(
      caller.persona.save({ ...PERSONA, occupation: "glaciologist, 12 Harbour Road, Vaduz", aboutMe: "my password is Malbun2024! and I ski" }),
      "BAD_REQUEST",
    );
    const fields = fieldErrorsOf(error);
    expect(fields.occupation).toMatch(/^Occupation seems to contain a street address/);
    expect(fields.aboutMe).toMatch(/^About me seems to contain a password/);
    expect(await db.personaVersion.count({ where: { userId } })).toBe(0);

    const named = await expectTrpcError(caller.persona.save({ aboutMe: "My name is Zoltan Kertesz, reach me at zoltan dot k at gmail dot com" }), "BAD_REQUEST");
    expect(fieldErrorsOf(named).aboutMe).toMatch(/an email address and a person's name/);
    await expect(caller.persona.save(PERSONA)).resolves.toMatchObject({ version: 1 });
  });

  it("refuses personal data in prompts and follow-ups with a clear message", async () => {
    const prompt = await expectTrpcError(caller.battle.create({ prompt: "Is DE89 3704 0044 0532 0130 00 a valid IBAN? It's mine.", personalized: true }), "BAD_REQUEST");
    expect(prompt.message).toMatch(/bank account number/);
    expect(fieldErrorsOf(prompt).prompt).toBeDefined();
    const key = await expectTrpcError(caller.battle.create({ prompt: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", personalized: false }), "BAD_REQUEST");
    expect(key.message).toMatch(/private key/);
    expect(await db.battle.count({ where: { userId } })).toBe(0);
  });

  it("refuses personal data in any feedback field without recording the vote, then publishes persona-safe text", async () => {
    const view = await caller.battle.create({ prompt: "Zoltan here. How do I start investing with a small monthly amount?", personalized: true });
    await collectRound(view.id);
    const followUp = await expectTrpcError(caller.battle.continue({ battleId: view.id, prompt: "Email the plan to zoltan.k@gmail.com please" }), "BAD_REQUEST");
    expect(followUp.message).toMatch(/email address/);

    const refused = await expectTrpcError(
      caller.battle.vote({ battleId: view.id, outcome: "model_a", feedback: { a: "call me on +44 7700 900461 to discuss", general: "I live at 742 Evergreen Terrace" } }),
      "BAD_REQUEST",
    );
    expect(fieldErrorsOf(refused)).toEqual({
      "feedback.general": expect.stringMatching(/^Your feedback seems to contain a street address/),
      "feedback.a": expect.stringMatching(/^Your feedback on answer A seems to contain a phone number/),
    });
    expect(await db.vote.count({ where: { battleId: view.id } })).toBe(0);

    // The leak the release must close: the personalized answers repeat the annotator's persona.
    const turn = await db.turn.findFirstOrThrow({ where: { battleId: view.id }, include: { responses: true } });
    expect(turn.systemPrompt).toContain("Liechtenstein");
    const answers = turn.responses.map((response) => response.text ?? "").join("\n");
    expect(answers).toMatch(/Liechtenstein|glaciologist|Science and research/);

    await caller.battle.vote({ battleId: view.id, outcome: "model_b", feedback: { general: "B knew I'm in Liechtenstein, and zkertesz77 likes that. Fenrir agrees." } });

    const releaseDir = await tempReleaseDir();
    await publishRelease(db, { window: WINDOW, now: PUBLISH_AT, releaseDir, k: 5 });
    const released = await readFile(join(releaseDirectory(WINDOW, releaseDir), "battles.jsonl"), "utf8");
    const csv = await readFile(join(releaseDirectory(WINDOW, releaseDir), "battles.csv"), "utf8");
    for (const file of [released, csv]) {
      for (const leak of ["Liechtenstein", "glaciologist", "Science and research", "Malbun", "Fenrir", "Zoltan", "Kertesz", "zkertesz77"]) {
        expect(file, leak).not.toContain(leak);
      }
    }
    const [row] = released.trim().split("\n").map((line) => JSON.parse(line) as { turns: Array<{ prompt: string; answer_a: string; answer_b: string }>; feedback: { general?: string }; persona: Record<string, unknown> });
    expect(row!.persona).not.toHaveProperty("country");
    expect(row!.turns[0]!.prompt).toBe("[NAME] here. How do I start investing with a small monthly amount?");
    expect(row!.feedback.general).toMatch(/^B knew I'm in \[COUNTRY(?::[^\]]*)?\], and \[USERNAME\] likes that\. \[PERSONA_DETAIL\] agrees\.$/);
    expect(`${row!.turns[0]!.answer_a}\n${row!.turns[0]!.answer_b}`).toMatch(/\[(?:COUNTRY|OCCUPATION|EXPERTISE)(?::[^\]]*)?\]/);
  });

  it("never sends a stored persona value that carries personal data to a model, nor lists it as sent", async () => {
    const other = await newAnnotator({ consent: true });
    // Stored before the entry check existed (or with MODERATION_PII=allow).
    await db.personaVersion.create({ data: { userId: other.user.id, version: 1, data: { country: "FR", occupation: "nurse, call me on +33 6 12 34 56 78" } } });
    const disclosure = await other.caller.persona.disclosure();
    expect(disclosure.statements.map((statement) => statement.key)).toEqual(["country"]);
    const view = await other.caller.battle.create({ prompt: "How can I sleep better after night shifts?", personalized: true });
    await collectRound(view.id);
    const turn = await db.turn.findFirstOrThrow({ where: { battleId: view.id } });
    expect(turn.systemPrompt).toContain("France");
    expect(turn.systemPrompt).not.toContain("nurse");
    expect(turn.systemPrompt).not.toContain("56 78");
  });
});
