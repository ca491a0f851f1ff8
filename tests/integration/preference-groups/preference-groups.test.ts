import { beforeEach, describe, expect, it } from "vitest";
import { GET as getPreferenceGroupsRoute } from "@/app/api/v1/preference-groups/route";
import { createRandom } from "@/lib/domain/random";
import { fitPreferenceGroupsForModality } from "@/lib/server/preference-groups/fit";
import { refitPreferenceGroups } from "@/lib/server/preference-groups/job";
import { callerFor, db } from "../helpers/caller";
import { resetDatabase } from "../helpers/db";
import { createAnnotator, createOrganizationWithModels, plantVotes, type PlantedVote } from "../leaderboards/leaderboard-test-support";

/** Two camps of annotators with opposite tastes: software people prefer x, artists prefer y. */
async function plantTwoCamps() {
  const { models } = await createOrganizationWithModels(db, "camps", [
    { slug: "x", modality: "text" },
    { slug: "y", modality: "text" },
    { slug: "z", modality: "text" },
  ]);
  const [x, y, z] = models.map((model) => model.id);
  const random = createRandom(5);
  const votes: PlantedVote[] = [];
  const annotators: { id: string; camp: "software" | "arts" }[] = [];
  for (let n = 0; n < 36; n++) {
    const camp = n % 2 === 0 ? "software" : "arts";
    const user = await createAnnotator(db, { expertise: camp, preferences: { detail: camp === "software" ? 90 : 10 } });
    annotators.push({ id: user.id, camp });
    const favourite = camp === "software" ? x : y;
    const other = camp === "software" ? y : x;
    for (let k = 0; k < 8; k++) {
      const favouriteWins = random() < 0.92;
      const pair = k % 2 === 0 ? [favourite, other] : [favourite, z];
      votes.push({ modelA: pair[0], modelB: pair[1], outcome: favouriteWins || pair[1] === z ? "model_a" : "model_b", userId: user.id, at: new Date(Date.UTC(2026, 10, 1, 0, n, k)) });
    }
  }
  await plantVotes(db, "text", votes);
  return { annotators, x, y };
}

describe("preference groups", () => {
  beforeEach(async () => {
    await resetDatabase(db);
  });

  it("fits two groups off the request path, describes them by persona and serves them by API and tRPC", async () => {
    const { annotators, x, y } = await plantTwoCamps();
    const data = await fitPreferenceGroupsForModality(db, "text", new Date(Date.UTC(2026, 10, 2)));
    expect(data?.groupCount).toBe(2);
    expect(data!.voteCount).toBe(36 * 8);
    const softwareGroup = data!.groups.find((group) => group.traits.some((trait) => trait.label === "Expertise: Software and IT"))!;
    const artsGroup = data!.groups.find((group) => group.traits.some((trait) => trait.label === "Expertise: Arts and design"))!;
    expect(softwareGroup.index).not.toBe(artsGroup.index);
    expect(softwareGroup.rows[0].modelId).toBe(x);
    expect(artsGroup.rows[0].modelId).toBe(y);
    expect(softwareGroup.traits.find((trait) => trait.label === "Expertise: Software and IT")!.groupShare).toBeGreaterThan(0.9);

    // Nothing changed: the job does not refit.
    expect(await fitPreferenceGroupsForModality(db, "text")).toBeNull();
    await refitPreferenceGroups(db);
    expect(await db.preferenceGroupFit.count()).toBe(1);

    const artist = annotators.find((annotator) => annotator.camp === "arts")!;
    const mine = await (await callerFor(artist.id)).preferenceGroups.mine({ modality: "text" });
    expect(mine.group?.index).toBe(artsGroup.index);
    expect(mine.probability).toBeGreaterThan(0.9);
    const anonymous = await callerFor(null);
    expect((await anonymous.preferenceGroups.get({ modality: "text" }))?.groupCount).toBe(2);
    await expect(anonymous.preferenceGroups.mine({ modality: "text" })).rejects.toThrow();

    const response = await getPreferenceGroupsRoute(new Request("http://localhost/api/v1/preference-groups?modality=text"));
    const body = await response.json();
    expect(body.fit.groups).toHaveLength(2);
    expect(JSON.stringify(body)).not.toContain(artist.id);
    const bad = await getPreferenceGroupsRoute(new Request("http://localhost/api/v1/preference-groups?modality=smell"));
    expect(bad.status).toBe(400);
  });

  it("does not fit a modality with too few votes", async () => {
    expect(await fitPreferenceGroupsForModality(db, "image")).toBeNull();
    const viewer = await createAnnotator(db, null);
    expect(await (await callerFor(viewer.id)).preferenceGroups.mine({ modality: "image" })).toMatchObject({ group: null, reason: "no_fit" });
  });
});
