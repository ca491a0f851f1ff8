import Link from "next/link";

const LINKS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/models", label: "Models" },
  { href: "/admin/users", label: "Users & organizations" },
  { href: "/admin/quality", label: "Vote quality" },
  { href: "/admin/battles", label: "Battles" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/releases", label: "Releases" },
  { href: "/researcher/judge", label: "Personalized judge" },
];

export function AdminNav() {
  return (
    <nav aria-label="Admin" className="flex flex-wrap gap-1 border-b border-slate-200 pb-3 text-sm">
      {LINKS.map((link) => (
        <Link key={link.href} href={link.href} className="rounded-lg px-3 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900">
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
