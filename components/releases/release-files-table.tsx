import { DataTable } from "@/components/ui/data-table";
import type { TReleaseFile } from "@/lib/server/services/releases";

const FILE_HEADERS = ["File", "Size", "Rows", "SHA-256"];

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function releaseFileUrl(version: string, name: string): string {
  return `/api/v1/releases/${encodeURIComponent(version)}/${encodeURIComponent(name)}`;
}

/** Download links with sizes, row counts and SHA-256 checksums. */
export function ReleaseFilesTable({ version, files }: { version: string; files: readonly TReleaseFile[] }) {
  return (
    <div className="overflow-x-auto">
      <DataTable headers={FILE_HEADERS}>
        {files.map((file) => (
          <tr key={file.name} className="border-t border-slate-100">
            <td className="py-2 pr-4">
              <a className="font-medium text-brand-700 underline" href={releaseFileUrl(version, file.name)} download>
                {file.name}
              </a>
            </td>
            <td className="py-2 pr-4 whitespace-nowrap">{formatBytes(file.bytes)}</td>
            <td className="py-2 pr-4">{file.rows > 0 ? file.rows.toLocaleString("en") : "–"}</td>
            <td className="py-2 font-mono text-xs break-all text-slate-600">{file.sha256}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
