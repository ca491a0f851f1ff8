"use client";

import { useRouter } from "next/navigation";
import { PersonaSurvey } from "@/components/persona/persona-survey";
import type { TPersona } from "@/lib/domain/persona";

/** The survey as the first step: saving or skipping leads to the arena. */
export function OnboardingSurvey({ initial }: { initial: TPersona | null }) {
  const router = useRouter();
  return (
    <PersonaSurvey
      initial={initial}
      submitLabel="Save and start"
      allowSkip
      onSaved={() => {
        router.push("/arena");
        router.refresh();
      }}
    />
  );
}
