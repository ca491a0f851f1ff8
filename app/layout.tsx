import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "@/components/providers";
import { SiteHeader } from "@/components/layout/site-header";
import { api } from "@/lib/trpc/server";

export const metadata: Metadata = {
  title: { default: "Persona Arena", template: "%s · Persona Arena" },
  description: "Compare AI models side by side on your own prompts, personalized to you.",
};
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await api.auth.me();
  const headerUser = user ? { label: user.isGuest ? "Guest" : (user.name ?? user.email ?? "Account"), isGuest: user.isGuest, role: user.role } : null;
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>
          <SiteHeader user={headerUser} />
          <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
