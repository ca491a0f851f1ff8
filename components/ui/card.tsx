import type { HTMLAttributes } from "react";

export function Card({ className = "", ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div className={`rounded-2xl border border-slate-200 bg-white p-6 shadow-sm ${className}`} {...props} />;
}

export function Alert({ tone = "error", className = "", ...props }: HTMLAttributes<HTMLDivElement> & { tone?: "error" | "info" | "success" }) {
  const tones = { error: "border-rose-200 bg-rose-50 text-rose-800", info: "border-sky-200 bg-sky-50 text-sky-900", success: "border-emerald-200 bg-emerald-50 text-emerald-900" };
  return <div role={tone === "error" ? "alert" : "status"} className={`rounded-lg border px-4 py-3 text-sm ${tones[tone]} ${className}`} {...props} />;
}
