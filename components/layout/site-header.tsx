import Link from "next/link";
import { hasAccess, type TRole } from "@/lib/domain/auth/roles";
import { UserMenu, type HeaderUser } from "@/components/layout/user-menu";

export type HeaderProps = { user: (HeaderUser & { role: string }) | null };

export function SiteHeader({ user }: HeaderProps) {
  const role = (user?.role ?? "guest") as TRole;
  const links = [
    { href: "/arena", label: "Arena", show: true },
    { href: "/leaderboard", label: "Leaderboard", show: true },
    { href: "/leaderboard/groups", label: "Preference groups", show: true },
    { href: "/releases", label: "Data", show: true },
    { href: "/dashboard", label: "My models", show: Boolean(user) && hasAccess(role, "owner:dashboard") },
    { href: "/admin", label: "Admin", show: Boolean(user) && hasAccess(role, "registry:manage") },
  ];
  return (
    <header className="border-b border-slate-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <div className="flex items-center gap-6">
          <Link href="/" className="text-lg font-semibold tracking-tight text-slate-900">
            Persona<span className="text-brand-600">Arena</span>
          </Link>
          <nav className="flex flex-wrap gap-1 text-sm" aria-label="Main">
            {links
              .filter((link) => link.show)
              .map((link) => (
                <Link key={link.href} href={link.href} className="rounded-lg px-3 py-2 text-slate-600 hover:bg-slate-100 hover:text-slate-900">
                  {link.label}
                </Link>
              ))}
          </nav>
        </div>
        <UserMenu user={user ? { label: user.label, isGuest: user.isGuest } : null} />
      </div>
    </header>
  );
}
