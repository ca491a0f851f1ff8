import "server-only";
import type { NextAuthOptions } from "next-auth";
import type { Provider } from "next-auth/providers/index";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { PrismaAdapter } from "@next-auth/prisma-adapter";
import { env } from "@/lib/env";
import { db } from "@/lib/server/db";
import { decodeSessionToken, encodeSessionToken } from "@/lib/server/auth/session-jwt";
import { authenticateWithPassword, createGuestUser } from "@/lib/server/services/accounts";

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

export const authOptions: NextAuthOptions = {
  secret: env.AUTH_SECRET,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  jwt: { encode: encodeSessionToken, decode: decodeSessionToken },
  // The adapter is only used by OAuth sign-ins (to create and link users); credentials use JWTs alone.
  adapter: PrismaAdapter(db as never),
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: async (credentials) => {
        const user = await authenticateWithPassword(db, credentials);
        return user ? { id: user.id, email: user.email, name: user.name } : null;
      },
    }),
    CredentialsProvider({
      id: "guest",
      name: "Guest",
      credentials: {},
      authorize: async () => {
        const user = await createGuestUser(db);
        return { id: user.id, email: null, name: null };
      },
    }),
    ...oauthProviders(),
  ],
  callbacks: {
    jwt: ({ token, user }) => {
      if (user) token.uid = user.id;
      return token;
    },
    session: ({ session, token }) => ({
      ...session,
      user: { ...session.user, id: typeof token.uid === "string" ? token.uid : (token.sub ?? "") },
    }),
  },
};
