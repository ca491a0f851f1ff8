import Link from "next/link";
import { hasAccess, type TRole } from "@/lib/domain/auth/roles";
import { HeaderNav } from "@/components/layout/header-nav";
import { type HeaderUser } from "@/components/layout/user-menu";

export type HeaderProps = { user: (NonNullable<HeaderUser> & { role: string }) | null };

export function SiteHeader({ user }: HeaderProps) {
  const role = (user?.role ?? "guest") as TRole;
  const links = [
    { href: "/arena", label: "Arena", show: true },
    { href: "/arena/history", label: "My battles", show: Boolean(user) },
    { href: "/leaderboard", label: "Leaderboard", show: true },
    { href: "/leaderboard/groups", label: "Preference groups", show: true },
    { href: "/releases", label: "Data", show: true },
    { href: "/researcher", label: "Research", show: Boolean(user) && hasAccess(role, "token:manage") },
    { href: "/dashboard", label: "My models", show: Boolean(user) && hasAccess(role, "owner:dashboard") },
    { href: "/admin", label: "Admin", show: Boolean(user) && hasAccess(role, "registry:manage") },
  ];
  return (
    <header className="relative z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex max-w-6xl items-center justify-between gap-3 px-4 py-3">
        <Link href="/" className="shrink-0 text-lg font-semibold tracking-tight text-slate-900">
          Persona<span className="text-brand-600">Arena</span>
        </Link>
        <HeaderNav links={links.filter((link) => link.show).map(({ href, label }) => ({ href, label }))} user={user ? { label: user.label, isGuest: user.isGuest } : null} />
      </div>
    </header>
  );
}
