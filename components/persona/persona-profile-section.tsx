"use client";

import { useRouter } from "next/navigation";
import { PersonaDisclosure } from "@/components/persona/persona-disclosure";
import { PersonaSurvey } from "@/components/persona/persona-survey";
import { Card } from "@/components/ui/card";
import type { TPersona, TPersonaStatement } from "@/lib/domain/persona";

/** The persona part of the profile page: what is sent today, and the survey to change it (a new version). */
export function PersonaProfileSection({ persona, version, statements }: { persona: TPersona | null; version: number | null; statements: TPersonaStatement[] }) {
  const router = useRouter();
  return (
    <section aria-labelledby="persona-title" className="space-y-4">
      <div>
        <h2 id="persona-title" className="text-lg font-semibold">
          Your persona
        </h2>
        <p className="text-sm text-slate-600" data-testid="persona-version">
          {version === null ? "You have not filled in the survey yet." : `Version ${version}. Each save creates a new version; past battles keep the version they used.`}
        </p>
      </div>
      <PersonaDisclosure statements={statements} personalized />
      <Card>
        {/* The summary and version above are rendered by the server: refresh them after a save. */}
        <PersonaSurvey initial={persona} submitLabel="Save changes" onSaved={() => router.refresh()} />
      </Card>
    </section>
  );
}
