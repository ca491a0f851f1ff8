import { Alert } from "@/components/ui/card";

/**
 * The visible "simulated demo data" note of every page that shows data of the living demo
 * (leaderboards, the owner dashboard, releases). Renders nothing when `votes` is 0.
 */
export function SimulatedDataNote({ votes, subject = "votes on this page" }: { votes: number; subject?: string }) {
  if (votes <= 0) return null;
  return (
    <Alert tone="info" data-testid="simulated-data-note">
      <strong>Simulated demo data.</strong> {votes.toLocaleString("en")} of the {subject} come from simulated annotators of the living demo, not
      from people. An administrator removes them with <code>npm run demo:remove</code>.
    </Alert>
  );
}
