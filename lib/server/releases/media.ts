import "server-only";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ReleaseFileEntry } from "@/lib/domain/release/card";
import { getMediaStorage, type MediaStorage } from "@/lib/server/media/storage";
import { HashingFile } from "./writers/hashing-file";

export interface ReleaseMediaCopier {
  /**
   * Copies the wanted media (sha256 → release path) not yet copied, appending their manifest entries;
   * returns the hashes the storage does not have (their rows then carry the hash only).
   */
  copy(wanted: ReadonlyMap<string, string>, entries: ReleaseFileEntry[]): Promise<Set<string>>;
}

/** Copies redistributable media outputs into `<dir>/media/`, each file once, streaming. */
export function copyReleaseMedia(dir: string, storage?: Pick<MediaStorage, "open">): ReleaseMediaCopier {
  const copied = new Set<string>();
  const missing = new Set<string>();
  let madeDir = false;
  return {
    async copy(wanted, entries) {
      for (const [sha256, path] of wanted) {
        if (copied.has(sha256) || missing.has(sha256)) continue;
        const media = await (storage ?? getMediaStorage()).open(sha256);
        if (!media) {
          missing.add(sha256);
          continue;
        }
        if (!madeDir) {
          await mkdir(join(dir, "media"), { recursive: true });
          madeDir = true;
        }
        const file = await HashingFile.create(join(dir, path));
        try {
          for await (const chunk of media.stream() as unknown as AsyncIterable<Uint8Array>) await file.write(chunk);
        } catch (error) {
          await file.discard();
          throw error;
        }
        const bytes = file.bytes;
        entries.push({ name: path, sha256: await file.close(), bytes, rows: 0 });
        copied.add(sha256);
      }
      return missing;
    },
  };
}
