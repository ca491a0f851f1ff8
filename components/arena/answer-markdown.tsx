"use client";

import Markdown from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { safeMarkdownComponents } from "@/components/ui/safe-markdown-components";

/**
 * Renders a model answer as markdown, safely: raw HTML in the answer is dropped (no rehype-raw), so
 * `<script>` or `<img onerror>` stays inert; links and images as safeMarkdownComponents renders them.
 * Code is highlighted by rehype-highlight (highlight.js classes; the theme is imported by the arena
 * layout).
 */
export function AnswerMarkdown({ text }: { text: string }) {
  return (
    <div className="answer-markdown">
      <Markdown remarkPlugins={[remarkGfm]} rehypePlugins={[[rehypeHighlight, { detect: true, ignoreMissing: true }]]} components={safeMarkdownComponents} skipHtml>
        {text}
      </Markdown>
    </div>
  );
}
