import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user: DefaultSession["user"] & { id: string };
  }
  interface User {
    /** The user's session version when the token is issued (lib/server/services/accounts.ts endAllSessions). */
    sessionVersion?: number;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** The session version the token was issued at. */
    sv?: number;
  }
}
