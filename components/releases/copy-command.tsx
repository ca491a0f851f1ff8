"use client";

import { useState } from "react";

/** A shell command with a Copy button; the text is exactly what gets copied. */
export function CopyCommand({ command, label = "Copy" }: { command: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex items-start gap-2 rounded-lg bg-slate-900 px-3 py-2 text-slate-100">
      <code className="min-w-0 flex-1 break-all font-mono text-xs" data-testid="copy-command">
        {command}
      </code>
      <button
        type="button"
        className="shrink-0 rounded bg-slate-700 px-2 py-0.5 text-xs font-medium hover:bg-slate-600"
        onClick={async () => {
          await navigator.clipboard.writeText(command);
          setCopied(true);
        }}
      >
        {copied ? "Copied" : label}
      </button>
    </div>
  );
}
