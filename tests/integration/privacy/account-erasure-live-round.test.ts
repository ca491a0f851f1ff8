import { beforeEach, describe, expect, it } from "vitest";
import { battleHub } from "@/lib/server/battles/stream-hub";
import { AppError } from "@/lib/server/errors";
import { DELETE_ACCOUNT_CONFIRMATION, deleteAccount, ERASED_TEXT } from "@/lib/server/services/account-deletion";
import { resetDatabase } from "../helpers/db";
import { setupFakeProviderServer } from "../providers/text-test-support";
import { collectRound, db, latestResponses, newAnnotator, registerTextModels } from "../battles/battle-test-support";

const fake = setupFakeProviderServer();

// A round saves its answers' text when they complete: an erasure before that would be written over.
describe("account deletion while a battle of the account is generating", () => {
  beforeEach(async () => {
    await resetDatabase(db);
  });

  it("is refused, changing nothing, until the round has saved its answers; then it erases them", async () => {
    await registerTextModels(fake().url, [
      { slug: "erase-held", behaviour: "fake-gated" },
      { slug: "erase-open", behaviour: "fake-ok" },
    ]);
    const { user, caller } = await newAnnotator();
    const view = await caller.battle.create({ prompt: "Summarise my private notes", personalized: false });
    await fake().gateReached();

    const refused = await deleteAccount(db, user.id, DELETE_ACCOUNT_CONFIRMATION).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("CONFLICT");
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { deletedAt: true } })).toEqual({ deletedAt: null });
    // Refused again once the battle's rows are saved (its answers still streaming), and nothing erased.
    await battleHub.get(view.id)?.rowsSaved;
    await expect(deleteAccount(db, user.id, DELETE_ACCOUNT_CONFIRMATION)).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await db.turn.findFirstOrThrow({ where: { battleId: view.id } })).prompt).toBe("Summarise my private notes");

    const ended = collectRound(view.id);
    fake().releaseGate();
    await ended;
    await expect.poll(async () => Object.values(await latestResponses(view.id)).every((answer) => answer.status === "complete")).toBe(true);

    await deleteAccount(db, user.id, DELETE_ACCOUNT_CONFIRMATION);
    const answers = Object.values(await latestResponses(view.id));
    expect(answers).toHaveLength(2);
    for (const answer of answers) expect(answer.text).toBe(ERASED_TEXT);
    expect((await db.turn.findFirstOrThrow({ where: { battleId: view.id } })).prompt).toBe(ERASED_TEXT);
  });

  it("is refused for an answer another instance may still write, not for one no round can write any more (past the model's timeout and the margin)", async () => {
    await registerTextModels(fake().url, [
      { slug: "erase-a", behaviour: "fake-ok" },
      { slug: "erase-b", behaviour: "fake-ok" },
    ]);
    const { user, caller } = await newAnnotator();
    const view = await caller.battle.create({ prompt: "An old interrupted battle", personalized: false });
    await collectRound(view.id);
    // As another instance's round shows here: an answer stored as streaming, started just now.
    const { a: answer } = await latestResponses(view.id);
    await db.response.update({ where: { id: answer.id }, data: { status: "streaming", startedAt: new Date() } });
    await expect(deleteAccount(db, user.id, DELETE_ACCOUNT_CONFIRMATION)).rejects.toMatchObject({ code: "CONFLICT" });
    // As an instance that stopped mid-round leaves it: still streaming, started long ago.
    await db.response.update({ where: { id: answer.id }, data: { startedAt: new Date(Date.now() - 24 * 3600_000) } });
    await deleteAccount(db, user.id, DELETE_ACCOUNT_CONFIRMATION);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { deletedAt: true } })).deletedAt).not.toBeNull();
  });
});
