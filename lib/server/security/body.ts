import "server-only";
import { tooLargeMessage } from "./request-guard";

export type BodyResult = { ok: true; bytes: Buffer } | { ok: false; response: Response };
export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; response: Response };

/**
 * Reads a request body of at most `maxBytes`, counting bytes as they stream in (a missing or false
 * Content-Length cannot get past it). Route handlers return `response` (413) when `ok` is false.
 */
export async function readBodyWithin(req: Request, maxBytes: number): Promise<BodyResult> {
  const tooLarge = (): BodyResult => ({ ok: false, response: Response.json({ error: tooLargeMessage(maxBytes) }, { status: 413 }) });
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
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/** A JSON body of at most `maxBytes`: 413 when oversized, 400 when not JSON. */
export async function readJsonBody(req: Request, maxBytes: number): Promise<JsonBodyResult> {
  const body = await readBodyWithin(req, maxBytes);
  if (!body.ok) return body;
  try {
    return { ok: true, value: JSON.parse(body.bytes.toString("utf8")) };
  } catch {
    return { ok: false, response: Response.json({ error: "The request body is not valid JSON." }, { status: 400 }) };
  }
}
