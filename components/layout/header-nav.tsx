"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { UserMenu, type HeaderUser } from "@/components/layout/user-menu";

const isCurrent = (pathname: string, href: string) => pathname === href || (href !== "/arena" && pathname.startsWith(`${href}/`));

/** The main links and the account menu: in one row from `md` up, behind a "Menu" button on a phone. */
export function HeaderNav({ links, user }: { links: Array<{ href: string; label: string }>; user: HeaderUser }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  // A link followed from the phone menu closes it.
  useEffect(() => setOpen(false), [pathname]);
  const linkList = (className: string) =>
    links.map((link) => (
      <Link
        key={link.href}
        href={link.href}
        aria-current={isCurrent(pathname, link.href) ? "page" : undefined}
        className={`${className} rounded-lg px-3 py-2 text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:font-medium aria-[current=page]:text-slate-900`}
      >
        {link.label}
      </Link>
    ));
  return (
    <>
      <div className="hidden min-w-0 flex-1 items-center justify-between gap-3 md:flex">
        <nav className="flex flex-wrap gap-1 text-sm" aria-label="Main">
          {linkList("")}
        </nav>
        <UserMenu user={user} />
      </div>
      <button
        type="button"
        className="inline-flex items-center gap-2 rounded-lg px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 md:hidden"
        aria-expanded={open}
        aria-controls="phone-menu"
        onClick={() => setOpen((value) => !value)}
      >
        <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
          {open ? (
            <path d="M5.3 4.3 10 9l4.7-4.7 1 1L11 10l4.7 4.7-1 1L10 11l-4.7 4.7-1-1L9 10 4.3 5.3z" />
          ) : (
            <path d="M3 5h14v1.5H3zm0 4.25h14v1.5H3zM3 13.5h14V15H3z" />
          )}
        </svg>
        Menu
      </button>
      {open ? (
        <div id="phone-menu" className="absolute inset-x-0 top-full border-b border-slate-200 bg-white px-4 pb-4 shadow-lg md:hidden">
          <nav className="flex flex-col py-2 text-base" aria-label="Main">
            {linkList("block")}
          </nav>
          <div className="border-t border-slate-100 pt-3">
            <UserMenu user={user} />
          </div>
        </div>
      ) : null}
    </>
  );
}
