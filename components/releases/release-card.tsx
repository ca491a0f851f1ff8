import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";
import { safeMarkdownComponents } from "@/components/ui/safe-markdown-components";

/** The data card without its YAML front matter, rendered as Markdown; raw HTML in it is not rendered, images are not loaded. */
export function ReleaseCard({ markdown }: { markdown: string }) {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, "");
  return (
    <div className="prose prose-slate max-w-none text-sm [&_h1]:text-xl [&_h1]:font-semibold [&_h2]:mt-6 [&_h2]:text-lg [&_h2]:font-semibold [&_li]:ml-5 [&_li]:list-disc [&_p]:my-2 [&_pre]:overflow-x-auto [&_pre]:rounded-lg [&_pre]:bg-slate-100 [&_pre]:p-3">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={safeMarkdownComponents} skipHtml>
        {body}
      </ReactMarkdown>
    </div>
  );
}
