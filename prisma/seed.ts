/**
 * Demo content for a fresh install: fictional organizations and offline demo models for every modality,
 * so the arena works with no API keys. Runs only on a database without models (idempotent on restart).
 */
import type { Db } from "@/lib/server/db";

type DemoModel = {
  slug: string;
  displayName: string;
  organization: string;
  modality: "text" | "image" | "audio";
  providerKind: "demo_text" | "demo_image" | "demo_music";
  providerModelId: string;
};

const ORGANIZATIONS = [
  { slug: "aurora-labs", name: "Aurora Labs" },
  { slug: "basalt-ai", name: "Basalt AI" },
  { slug: "cirrus-research", name: "Cirrus Research" },
];

/** Each demo model is a distinct offline "personality" (lib/domain/demo); names are fictional on purpose. */
export const DEMO_MODELS: DemoModel[] = [
  { slug: "aster-1", displayName: "Aster-1", organization: "aurora-labs", modality: "text", providerKind: "demo_text", providerModelId: "concise-expert" },
  { slug: "bramble-chat", displayName: "Bramble Chat", organization: "basalt-ai", modality: "text", providerKind: "demo_text", providerModelId: "friendly-explainer" },
  { slug: "cobalt-analyst", displayName: "Cobalt Analyst", organization: "cirrus-research", modality: "text", providerKind: "demo_text", providerModelId: "formal-analyst" },
  { slug: "dune-tales", displayName: "Dune Tales", organization: "basalt-ai", modality: "text", providerKind: "demo_text", providerModelId: "storyteller" },
  { slug: "ember-mini", displayName: "Ember Mini", organization: "aurora-labs", modality: "text", providerKind: "demo_text", providerModelId: "terse-rusher" },
  { slug: "prism-geo", displayName: "Prism Geo", organization: "aurora-labs", modality: "image", providerKind: "demo_image", providerModelId: "geometric" },
  { slug: "lumen-stripes", displayName: "Lumen Stripes", organization: "basalt-ai", modality: "image", providerKind: "demo_image", providerModelId: "gradient-stripes" },
  { slug: "mosaic-8", displayName: "Mosaic-8", organization: "cirrus-research", modality: "image", providerKind: "demo_image", providerModelId: "pixel-mosaic" },
  { slug: "halo-rings", displayName: "Halo Rings", organization: "basalt-ai", modality: "image", providerKind: "demo_image", providerModelId: "concentric" },
  { slug: "pad-synth", displayName: "Pad Synth", organization: "aurora-labs", modality: "audio", providerKind: "demo_music", providerModelId: "sine-pad" },
  { slug: "chip-tune", displayName: "Chip Tune", organization: "basalt-ai", modality: "audio", providerKind: "demo_music", providerModelId: "square-chiptune" },
  { slug: "string-pluck", displayName: "String Pluck", organization: "cirrus-research", modality: "audio", providerKind: "demo_music", providerModelId: "plucked-string" },
  { slug: "bell-fm", displayName: "Bell FM", organization: "cirrus-research", modality: "audio", providerKind: "demo_music", providerModelId: "fm-bell" },
];

export async function seedDemoContent(db: Db): Promise<{ created: boolean; models: number }> {
  if ((await db.arenaModel.count()) > 0) return { created: false, models: 0 };
  await db.$transaction(async (tx) => {
    const organizationIds = new Map<string, string>();
    for (const organization of ORGANIZATIONS) {
      const row = await tx.organization.upsert({ where: { slug: organization.slug }, create: organization, update: {} });
      organizationIds.set(organization.slug, row.id);
    }
    for (const model of DEMO_MODELS) {
      const { organization, ...fields } = model;
      await tx.arenaModel.create({
        data: { ...fields, organizationId: organizationIds.get(organization)!, extraParams: {}, timeoutMs: 60_000, maxTokens: 1024, maxConcurrency: 64 },
      });
    }
  });
  return { created: true, models: DEMO_MODELS.length };
}
