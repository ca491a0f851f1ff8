import "server-only";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A Content-Disposition value per RFC 6266: `filename` holds an ASCII fallback (quotes, backslashes,
 * `%`, controls and non-ASCII replaced by "_"), `filename*` the exact name, UTF-8 percent-encoded
 * (RFC 8187). No input can break the header: CR/LF and quotes never reach it unencoded.
 */
export function contentDisposition(type: "attachment" | "inline", fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7E]|["\\%]/g, "_");
  const printable = [...fileName].map((character) => (character.charCodeAt(0) < 0x20 || character === "\u007F" ? "_" : character)).join("");
  const encoded = encodeURIComponent(printable.replace(LONE_SURROGATE, "\uFFFD")).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
