"use client";

import Markdown, { type Components } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";

/**
 * Renders a model answer as markdown, safely: raw HTML in the answer is dropped (no rehype-raw), so
 * `<script>` or `<img onerror>` stays inert; react-markdown's URL filter removes `javascript:` links;
 * links open in a new tab without opener or referrer and carry `nofollow ugc`. Code is highlighted by
 * rehype-highlight (highlight.js classes; the theme is imported by the arena layout).
 */
const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow ugc">
      {children}
    </a>
  ),
  img: ({ alt }) => <span className="text-slate-500">[image: {alt || "no description"}]</span>,
};

export function AnswerMarkdown({ text }: { text: string }) {
  return (
    <div className="answer-markdown">
      <Markdown remarkPlugins={[remarkGfm]} rehypePlugins={[[rehypeHighlight, { detect: true, ignoreMissing: true }]]} components={components} skipHtml>
        {text}
      </Markdown>
    </div>
  );
}
