/**
 * Runs a personalized-judge evaluation from the command line, in this process, with progress.
 *
 *   npm run judge -- --model <slug|demo> --sample <N> [--seed S] [--token-budget T]
 *
 * `demo` is the offline demo judge. The run is stored like one started from the admin pages
 * (/researcher/judge shows it); the summary is printed at the end as ONE JSON line.
 */
import { parseArgs } from "node:util";
import { db } from "@/lib/server/db";
import { executeJudgeRun, startJudgeRun } from "@/lib/server/judge/run";

async function main() {
  const { values } = parseArgs({ options: { model: { type: "string" }, sample: { type: "string" }, seed: { type: "string", default: "1" }, "token-budget": { type: "string" } } });
  if (!values.model || !values.sample || !/^\d+$/.test(values.sample) || !/^\d+$/.test(values.seed ?? "")) {
    console.error("Usage: npm run judge -- --model <slug|demo> --sample <N> [--seed S] [--token-budget T]");
    process.exit(2);
  }
  let judgeModelId: string | null = null;
  if (values.model !== "demo") {
    const model = await db.arenaModel.findUnique({ where: { slug: values.model }, select: { id: true } });
    if (!model) {
      console.error(`No model with slug "${values.model}".`);
      process.exit(2);
    }
    judgeModelId = model.id;
  }
  const run = await startJudgeRun(
    db,
    { id: "cli" },
    { judgeModelId, sampleSize: Number(values.sample), seed: Number(values.seed), ...(values["token-budget"] ? { tokenBudget: Number(values["token-budget"]) } : {}) },
  );
  console.log(`judge run ${run.id}: ${run.judgeLabel}`);
  let lastShown = 0;
  const summary = await executeJudgeRun(db, run.id, {
    onProgress: (done, total) => {
      if (done === total || done - lastShown >= Math.max(1, Math.floor(total / 20))) {
        lastShown = done;
        console.log(`${done}/${total} judge calls`);
      }
    },
  });
  const stored = await db.judgeRun.findUniqueOrThrow({ where: { id: run.id }, select: { status: true, error: true } });
  if (!summary) {
    console.error(`judge run ${run.id} ${stored.status}: ${stored.error ?? "no summary"}`);
    process.exit(1);
  }
  if (summary.sampled === 0) console.log("No voted text battles with both answers complete yet: nothing was judged.");
  for (const [method, result] of Object.entries(summary.methods)) {
    console.log(`${method}: agreement ${result.agreement === null ? "—" : `${(100 * result.agreement).toFixed(1)} %`}, ${result.abstained} abstained`);
  }
  console.log(JSON.stringify({ runId: run.id, status: stored.status, ...summary }));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
