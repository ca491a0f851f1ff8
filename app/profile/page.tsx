import { redirect } from "next/navigation";
import { PersonaProfileSection } from "@/components/persona/persona-profile-section";
import { ChangePasswordSection } from "@/components/profile/change-password-section";
import { DeleteAccountSection } from "@/components/profile/delete-account-section";
import { ReleaseOptOutSection } from "@/components/profile/release-opt-out-section";
import { describePersonaForUser } from "@/lib/domain/persona";
import { withoutPersonalData } from "@/lib/domain/persona/sendable";
import { api } from "@/lib/trpc/server";

export const dynamic = "force-dynamic";
export const metadata = { title: "Profile" };

/** A composition of sections; data-rights sections (opt-out, deletion) are added next to the persona one. */
export default async function ProfilePage() {
  const user = await api.auth.me();
  if (!user) redirect("/signin");
  const current = await api.persona.current();
  return (
    <div className="mx-auto max-w-3xl space-y-10">
      <h1 className="text-2xl font-semibold tracking-tight">Profile</h1>
      <PersonaProfileSection persona={current?.persona ?? null} version={current?.version ?? null} statements={current ? describePersonaForUser(withoutPersonalData(current.persona)) : []} />
      <ReleaseOptOutSection />
      {user.isGuest || !user.email ? null : <ChangePasswordSection email={user.email} />}
      {user.isGuest ? null : <DeleteAccountSection />}
    </div>
  );
}
