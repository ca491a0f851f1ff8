import type { ReactNode } from "react";

/** A plain table with a small upper-case header row; `children` are the body's rows. */
export function DataTable({ headers, children }: { headers: readonly string[]; children: ReactNode }) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          {headers.map((header, index) => (
            <th key={header} className={index < headers.length - 1 ? "py-2 pr-4" : "py-2"}>
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
