import "server-only";
import type { NextAuthOptions } from "next-auth";
import type { Provider } from "next-auth/providers/index";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { PrismaAdapter } from "@next-auth/prisma-adapter";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { clientIp } from "@/lib/server/api/context";
import { recordFailedSignIn, recordSuccessfulSignIn, throttleIdentityAction } from "@/lib/server/auth/identity-throttle";
import { authenticateWithPassword, createGuestUser, endAllSessions, loadSessionUser } from "@/lib/server/services/accounts";

function oauthProviders(): Provider[] {
  const providers: Provider[] = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  }
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    providers.push({
      id: "oidc",
      name: env.OIDC_NAME,
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile: (profile: { sub: string; name?: string; email?: string; picture?: string }) => ({
        id: profile.sub,
        name: profile.name ?? null,
        email: profile.email ?? null,
        image: profile.picture ?? null,
      }),
    });
  }
  return providers;
}

/** The OAuth buttons shown on the sign-in page (ids and names only). */
export const enabledOAuthProviders = oauthProviders().map((provider) => ({ id: provider.id, name: provider.name }));

const authOptions: NextAuthOptions = {
  secret: env.AUTH_SECRET,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  // The adapter is only used by OAuth sign-ins (to create and link users); credentials use JWTs alone.
  adapter: PrismaAdapter(db as never),
  pages: { signIn: "/signin" },
  events: {
    // Signing out ends every session of the user, so a copied cookie stops working too.
    signOut: async ({ token }) => {
      const userId = typeof token?.uid === "string" ? token.uid : token?.sub;
      if (userId) await endAllSessions(db, userId);
    },
  },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: async (credentials, req) => {
        // Throttle refusals are thrown: next-auth passes their message to the sign-in form.
        const attempt = { ip: clientIp(new Headers(req.headers as Record<string, string>)), email: credentials?.email ?? null };
        await throttleIdentityAction("sign_in", attempt);
        const user = await authenticateWithPassword(db, credentials);
        if (!user) {
          await recordFailedSignIn(attempt);
          return null;
        }
        await recordSuccessfulSignIn(attempt);
        return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
      },
    }),
    CredentialsProvider({
      id: "guest",
      name: "Guest",
      credentials: {},
      authorize: async (_credentials, req) => {
        await throttleIdentityAction("guest", { ip: clientIp(new Headers(req.headers as Record<string, string>)) });
        const user = await createGuestUser(db);
        return { id: user.id, email: null, name: null };
      },
    }),
    ...oauthProviders(),
  ],
  callbacks: {
    jwt: async ({ token, user }) => {
      if (user) {
        token.uid = user.id;
        token.sv = user.sessionVersion ?? 0;
        return token;
      }
      // /api/auth/session: an ended session throws here, and next-auth clears its cookie.
      const userId = typeof token.uid === "string" ? token.uid : token.sub;
      if (!userId || !(await loadSessionUser(db, userId, token.sv ?? 0))) throw new Error("This session has ended.");
      return token;
    },
    session: ({ session, token }) => ({
      ...session,
      user: { ...session.user, id: typeof token.uid === "string" ? token.uid : (token.sub ?? "") },
    }),
  },
};

/**
 * The options for one request to next-auth's routes: cookies are Secure ("__Secure-" names) when the
 * public URL is HTTPS or this request came over HTTPS, which scripts/serve.js vouches for only through
 * a trusted proxy (lib/server/http/request-edge.js).
 */
export function authOptionsFor(headers: Headers): NextAuthOptions {
  const https = env.NEXTAUTH_URL?.startsWith("https://") || headers.get("x-forwarded-proto") === "https";
  return { ...authOptions, useSecureCookies: Boolean(https) };
}
