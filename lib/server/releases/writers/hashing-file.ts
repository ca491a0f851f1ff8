import "server-only";
import { createHash, type Hash } from "node:crypto";
import { open, type FileHandle } from "node:fs/promises";

/**
 * An append-only file that hashes (SHA-256) and counts every byte as it is written, so a release file's
 * checksum is known the moment it is closed without reading it back.
 */
export class HashingFile {
  private bytesWritten = 0;
  private readonly hash: Hash = createHash("sha256");

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(path: string): Promise<HashingFile> {
    return new HashingFile(path, await open(path, "wx"));
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (bytes.byteLength === 0) return;
    this.hash.update(bytes);
    this.bytesWritten += bytes.byteLength;
    let offset = 0;
    while (offset < bytes.byteLength) {
      const { bytesWritten } = await this.handle.write(bytes, offset, bytes.byteLength - offset);
      offset += bytesWritten;
    }
  }

  get bytes(): number {
    return this.bytesWritten;
  }

  /** Flushes to disk and closes; returns the hex SHA-256 of everything written. */
  async close(): Promise<string> {
    await this.handle.sync();
    await this.handle.close();
    return this.hash.digest("hex");
  }

  /** Closes without syncing, for a failed release whose directory is about to be removed. */
  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
