import type { Components } from "react-markdown";

/**
 * Element overrides for Markdown written by others (model answers, dataset cards): links open in a
 * new tab without opener or referrer and carry `nofollow ugc`; images are never loaded (a tracking
 * pixel would reveal the reader, and a filtered `javascript:` source leaves an empty one) but shown
 * as their description. react-markdown's URL filter already drops `javascript:` links.
 */
export const safeMarkdownComponents: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow ugc">
      {children}
    </a>
  ),
  img: ({ alt }) => <span className="text-slate-500">[image: {alt || "no description"}]</span>,
};
