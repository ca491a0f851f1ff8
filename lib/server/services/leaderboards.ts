import "server-only";
import type { Db } from "@/lib/server/db";
export async function computeAndStoreLeaderboards(_db: Db, _o: { now?: Date } = {}) { return { snapshots: 0, eloMode: "none" }; }
