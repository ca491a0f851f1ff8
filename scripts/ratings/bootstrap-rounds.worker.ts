/**
 * Bootstrap rounds on a thread of their own (started by scripts/ratings.ts through
 * lib/server/workers/start-worker.ts): the job's samples, seeds.length × models ratings.
 */
import { replyToBlockingStarter } from "./blocking-worker-reply";
import { bootstrapRoundSamples, type BootstrapJob } from "@/lib/domain/rating/bootstrap";

replyToBlockingStarter((job: BootstrapJob) => bootstrapRoundSamples(job), (samples) => [samples.buffer as ArrayBuffer]);
