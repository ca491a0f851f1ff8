import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptionsFor } from "@/lib/server/auth/options";

type TContext = { params: Promise<{ nextauth: string[] }> };

async function handler(request: NextRequest, context: TContext): Promise<Response> {
  return NextAuth(request, context, authOptionsFor(request.headers));
}

export { handler as GET, handler as POST };
