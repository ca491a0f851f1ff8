import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "@/lib/env";
import { appRouter } from "@/lib/server/api/root";
import { createRequestContext } from "@/lib/server/api/context";

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBodySize: env.MAX_JSON_BODY_BYTES,
    createContext: () => createRequestContext(req.headers),
  });

export { handler as GET, handler as POST };
