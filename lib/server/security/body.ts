import "server-only";
import { tooLargeMessage } from "./request-guard";

export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; response: Response };

/**
 * Reads a JSON request body of at most `maxBytes`, counting bytes as they stream in (a missing or false
 * Content-Length cannot get past it). Route handlers return `response` when `ok` is false:
 * 413 for an oversized body, 400 for invalid JSON.
 */
export async function readJsonBody(req: Request, maxBytes: number): Promise<JsonBodyResult> {
  const tooLarge = (): JsonBodyResult => ({ ok: false, response: Response.json({ error: tooLargeMessage(maxBytes) }, { status: 413 }) });
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
  const chunks: Uint8Array[] = [];
  let received = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel();
        return tooLarge();
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: Response.json({ error: "The request body is not valid JSON." }, { status: 400 }) };
  }
}
