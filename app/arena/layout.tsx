import type { ReactNode } from "react";
import "highlight.js/styles/github.css";
import "@/components/arena/answer-markdown.css";

export default function ArenaLayout({ children }: { children: ReactNode }) {
  return children;
}
