import Link from "next/link";
import { MODALITIES, MODALITY_LABELS, type TModality } from "@/lib/domain/vocabulary";

/** The text / image / music tabs of the leaderboard pages; each tab links to its page of the same view. */
export function ModalityTabs({ active, hrefs }: { active: TModality; hrefs: Record<TModality, string> }) {
  return (
    <nav className="flex gap-2 border-b border-slate-200" aria-label="Modality">
      {MODALITIES.map((modality) => (
        <Link
          key={modality}
          href={hrefs[modality]}
          role="tab"
          aria-selected={modality === active}
          className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${modality === active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
        >
          {MODALITY_LABELS[modality]}
        </Link>
      ))}
    </nav>
  );
}
