import Link from "next/link";
import type { TModality } from "@/lib/domain/leaderboard/snapshot";

const MODALITY_TABS: { modality: TModality; label: string }[] = [
  { modality: "text", label: "Text" },
  { modality: "image", label: "Image" },
  { modality: "audio", label: "Music" },
];

/** The text / image / music tabs of the leaderboard pages; each tab links to its page of the same view. */
export function ModalityTabs({ active, hrefs }: { active: TModality; hrefs: Record<TModality, string> }) {
  return (
    <nav className="flex gap-2 border-b border-slate-200" aria-label="Modality">
      {MODALITY_TABS.map((tab) => (
        <Link
          key={tab.modality}
          href={hrefs[tab.modality]}
          role="tab"
          aria-selected={tab.modality === active}
          className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${tab.modality === active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
