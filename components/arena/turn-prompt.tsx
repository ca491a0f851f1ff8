"use client";

import { useState } from "react";

/** Prompts longer than this (or with more lines) are collapsed so both answers stay on screen. */
const COLLAPSE_CHARACTERS = 600;
const COLLAPSE_LINES = 8;

/** The annotator's prompt bubble; a long prompt is collapsed with "Show more". */
export function TurnPrompt({ prompt }: { prompt: string }) {
  const long = prompt.length > COLLAPSE_CHARACTERS || prompt.split("\n").length > COLLAPSE_LINES;
  const [expanded, setExpanded] = useState(false);
  const collapsed = long && !expanded;
  return (
    <div className="ml-auto w-fit max-w-[85%] rounded-2xl rounded-br-sm bg-brand-600 px-4 py-2.5 text-sm text-white">
      <div data-testid="turn-prompt" className={`whitespace-pre-wrap break-words ${collapsed ? "line-clamp-6" : ""}`}>
        {prompt}
      </div>
      {long ? (
        <button type="button" className="mt-1 text-xs font-medium text-brand-100 underline" aria-expanded={expanded} onClick={() => setExpanded((value) => !value)}>
          {expanded ? "Show less" : `Show more (${prompt.length.toLocaleString("en")} characters)`}
        </button>
      ) : null}
    </div>
  );
}
