import type { ReactNode } from "react";
import { Card } from "./card";

/** A card with a title and a one-row form (fields and a submit button, `children`), then what the submission said (`outcome`). */
export function FormCard({ title, onSubmit, children, outcome }: { title: string; onSubmit: () => void; children: ReactNode; outcome?: ReactNode }) {
  return (
    <Card className="space-y-3">
      <h2 className="text-lg font-semibold">{title}</h2>
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        {children}
      </form>
      {outcome}
    </Card>
  );
}
