/**
 * Hostile markdown and HTML in answers, release cards and feedback render as text: the components
 * that show user or model content are rendered to HTML with hostile input, and the source tree is
 * checked for the escape hatches (raw HTML injection, rehype-raw) that would bypass React's escaping.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AnswerMarkdown } from "@/components/arena/answer-markdown";
import { OwnerDashboardView } from "@/components/owner/owner-dashboard";
import { ReleaseCard } from "@/components/releases/release-card";

const HOSTILE_DOCUMENTS = [
  "<script>alert('xss')</script>",
  '<img src=x onerror="alert(1)">',
  "<svg onload=alert(1)></svg>",
  '<iframe src="javascript:alert(1)"></iframe>',
  "[click me](javascript:alert(1))",
  "[click me](JaVaScRiPt:alert(1))",
  "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "![x](javascript:alert(1))",
  '<a href="javascript:alert(1)">raw link</a>',
  "<details open ontoggle=alert(1)>",
  '<style>body{background:url("javascript:alert(1)")}</style>',
  '```html\n<script>alert("in code")</script>\n```',
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "{{constructor.constructor('alert(1)')()}}",
  "<<script>script>alert(1)<</script>/script>",
];

/** Markup that would execute or load something if a browser got it. */
function dangerousMarkup(html: string): string[] {
  const findings: string[] = [];
  if (/<script\b/i.test(html)) findings.push("script element");
  if (/<(iframe|object|embed|style|svg|math|details)\b/i.test(html)) findings.push("active element");
  if (/<[^>]+\son[a-z]+\s*=/i.test(html)) findings.push("event handler attribute");
  if (/(href|src)\s*=\s*"\s*(javascript|data|vbscript):/i.test(html)) findings.push("script URL");
  return findings;
}

describe("components render hostile content inert", () => {
  it.each(HOSTILE_DOCUMENTS)("AnswerMarkdown: %s", (document) => {
    const html = renderToStaticMarkup(createElement(AnswerMarkdown, { text: document }));
    expect(dangerousMarkup(html)).toEqual([]);
    // Answers never load images either (no tracking pixels or `onerror` carriers).
    expect(html).not.toMatch(/<img\b/i);
  });

  it("AnswerMarkdown still renders ordinary markdown (the check above is not vacuous)", () => {
    const html = renderToStaticMarkup(createElement(AnswerMarkdown, { text: "**bold** and [a link](https://example.org)" }));
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain('href="https://example.org"');
  });

  it.each(HOSTILE_DOCUMENTS)("ReleaseCard: %s", (document) => {
    const html = renderToStaticMarkup(createElement(ReleaseCard, { markdown: `---\ntitle: x\n---\n${document}` }));
    expect(dangerousMarkup(html)).toEqual([]);
    expect(html).not.toMatch(/<img\b/i);
  });

  it("OwnerDashboardView shows hostile feedback and names as text", () => {
    const html = renderToStaticMarkup(
      createElement(OwnerDashboardView, {
        organizations: [{ id: "org", name: "<img src=x onerror=alert(1)>" }],
        dashboard: {
          organization: { id: "org", name: "<script>alert('org')</script>" },
          models: [],
          computedAt: null,
          feedback: HOSTILE_DOCUMENTS.map((text, index) => ({ at: "2026-11-01T00:00:00.000Z", modelId: `m${index}`, modelName: "<b onmouseover=alert(1)>m</b>", result: "won" as const, text })),
        },
      }),
    );
    expect(dangerousMarkup(html)).toEqual([]);
    expect(html).toContain("&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;");
  });
});

describe("no escape hatch around React's escaping in the source tree", () => {
  const sourceFiles = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
      return /\.(ts|tsx|js|jsx)$/.test(entry.name) ? [full] : [];
    });

  it("no component sets raw HTML, and markdown never renders raw HTML", () => {
    const offenders = ["app", "components", "lib"].flatMap((folder) =>
      sourceFiles(path.join(process.cwd(), folder)).flatMap((file) => {
        const text = readFileSync(file, "utf8");
        const found: string[] = [];
        if (/dangerouslySetInnerHTML/.test(text)) found.push("dangerouslySetInnerHTML");
        if (/\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write\(/.test(text)) found.push("DOM HTML write");
        if (/from "rehype-raw"|allowDangerousHtml\s*:\s*true/.test(text)) found.push("raw HTML in markdown");
        if (/<(ReactMarkdown|Markdown)\b(?![^>]*\bskipHtml\b)[^>]*>/.test(text)) found.push("markdown without skipHtml");
        return found.map((what) => `${path.relative(process.cwd(), file)}: ${what}`);
      }),
    );
    expect(offenders).toEqual([]);
  });
});
