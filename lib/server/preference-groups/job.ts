import "server-only";
import { MODALITIES } from "@/lib/domain/vocabulary";
import type { Db } from "@/lib/server/db";
import { registerBackgroundJob, type BackgroundJob } from "@/lib/server/jobs/registry";
import { fitPreferenceGroupsForModality } from "./fit";

const PREFERENCE_GROUPS_JOB_NAME = "preference-groups.fit";

/** Refits every modality whose votes changed (EM with K selection: seconds, never on a request). */
export async function refitPreferenceGroups(db: Db, now: Date = new Date(), signal?: AbortSignal): Promise<void> {
  for (const modality of MODALITIES) {
    if (signal?.aborted) return;
    await fitPreferenceGroupsForModality(db, modality, now);
  }
}

const preferenceGroupsJob: BackgroundJob = {
  name: PREFERENCE_GROUPS_JOB_NAME,
  intervalMs: 60 * 60 * 1000,
  leaseMs: 10 * 60 * 1000,
  run: ({ db, now, signal }) => refitPreferenceGroups(db, now, signal),
};

registerBackgroundJob(preferenceGroupsJob);
