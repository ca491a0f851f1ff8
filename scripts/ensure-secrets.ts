/**
 * Imported FIRST by every command-line entry point (`npm start`, `release:publish`, `admin:create`, the
 * release bench): creates the secrets file (SECRETS_FILE, default data/secrets.json) with random values
 * for the generated secrets the environment leaves unset, before anything imports lib/env.js, which then
 * reads them from it exactly as the app's server does.
 */
import { resolveGeneratedSecrets } from "@/lib/secrets.js";

Object.assign(process.env, resolveGeneratedSecrets(process.env, { create: true }));
