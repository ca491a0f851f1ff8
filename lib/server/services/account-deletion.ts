import "server-only";
import { mayStillBeWritten } from "@/lib/domain/battle/answer-liveness";
import { recordAudit } from "@/lib/server/audit";
import { battleHub } from "@/lib/server/battles/stream-hub";
import type { Db } from "@/lib/server/db";
import { sqliteDatabaseFile } from "@/lib/server/db/sqlite-direct";
import { truncateWal } from "@/lib/server/db/wal-checkpointer";
import { AppError } from "@/lib/server/errors";
import { revokeAllApiTokens } from "@/lib/server/services/api-tokens";
import { forgetSessionUser } from "@/lib/server/services/accounts";

/** What the user must type to confirm; checked on the server too. */
export const DELETE_ACCOUNT_CONFIRMATION = "delete my account";
export const ERASED_TEXT = "[deleted]";

/**
 * Deletes an account: erases its personal data (email, name, image, password, OAuth links, sign-in tokens,
 * persona contents, prompts and the persona text sent to models, the answers to those prompts and any
 * error text, written feedback), revokes its API tokens and
 * marks it deleted and ends its sessions (sessions are checked against deletedAt and the session version) and excludes its votes
 * from every future release. The row and the votes stay so that ratings and foreign keys hold; releases
 * already published are not rewritten (the terms say so).
 *
 * Erased means gone from the database files too: SQLite connections run with `secure_delete` (zeroing
 * the freed bytes), and the WAL is checkpointed and truncated right after, so the old text survives
 * neither in free space nor in old WAL frames. PostgreSQL keeps the old row versions until VACUUM (see
 * docs/operations.md).
 *
 * Refused (CONFLICT, nothing changed) while a round may still save answers of the account's battles: it
 * would write their text back over the erased text.
 */
export async function deleteAccount(db: Db, userId: string, confirmation: string): Promise<{ deletedAt: Date }> {
  if (confirmation.trim().toLowerCase() !== DELETE_ACCOUNT_CONFIRMATION) {
    throw new AppError("BAD_REQUEST", `Type "${DELETE_ACCOUNT_CONFIRMATION}" to confirm.`, { confirmation: `Type "${DELETE_ACCOUNT_CONFIRMATION}" to confirm.` });
  }
  const user = await db.user.findUnique({ where: { id: userId }, select: { deletedAt: true, email: true } });
  if (!user || user.deletedAt) throw new AppError("NOT_FOUND", "This account was not found.");
  // A round still generating would write its answers' text back over the erased text when it saves them
  // (and a round of this process may not have saved its battle's rows yet); another instance's round
  // shows as answers stored unsettled that their round may still write.
  const unsettled = await db.response.findMany({
    where: { status: { in: ["pending", "streaming"] }, turn: { battle: { userId } } },
    select: { startedAt: true, model: { select: { timeoutMs: true } } },
  });
  const now = Date.now();
  if (battleHub.hasRoundOf(userId) || unsettled.some((answer) => mayStillBeWritten(answer.startedAt, answer.model.timeoutMs, now))) {
    throw new AppError("CONFLICT", "A battle of yours is still generating its answers. Try again once they have finished.");
  }
  const deletedAt = new Date();
  await db.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: userId },
      data: { email: null, emailVerified: null, name: null, image: null, passwordHash: null, deletedAt, sessionVersion: { increment: 1 } },
    });
    await tx.account.deleteMany({ where: { userId } });
    await tx.personaVersion.updateMany({ where: { userId }, data: { data: {} } });
    await tx.vote.updateMany({ where: { userId }, data: { feedbackGeneral: null, feedbackA: null, feedbackB: null } });
    await tx.turn.updateMany({ where: { battle: { userId } }, data: { prompt: ERASED_TEXT, systemPrompt: null } });
    // The answers quote and personalize the prompts; style counts stay (style-controlled ratings use them).
    await tx.response.updateMany({ where: { turn: { battle: { userId } }, text: { not: null } }, data: { text: ERASED_TEXT } });
    await tx.response.updateMany({ where: { turn: { battle: { userId } } }, data: { errorMessage: null } });
    if (user.email) await tx.verificationToken.deleteMany({ where: { identifier: user.email } });
    await revokeAllApiTokens(tx, userId, deletedAt);
    await recordAudit(tx, { actorId: null, action: "account.delete", targetType: "user", targetId: userId });
  });
  forgetSessionUser(userId);
  const file = await sqliteDatabaseFile(db);
  if (file && !(await truncateWal(file))) console.warn("[account] the WAL could not be truncated now; the periodic checkpoint copies the erased pages later");
  return { deletedAt };
}
