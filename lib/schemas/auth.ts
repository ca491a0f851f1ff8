import { z } from "zod";

/** Shared by the sign-up form (inline errors) and the server (the boundary). */
const ZEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email is too long.")
  .pipe(z.email("Enter a valid email address."));

const ZPasswordSchema = z
  .string()
  .min(10, "Use at least 10 characters.")
  .max(200, "Use at most 200 characters.");

export const ZSignUpSchema = z.object({
  email: ZEmailSchema,
  password: ZPasswordSchema,
  name: z.string().trim().max(80, "Use at most 80 characters.").optional(),
});
export type TSignUpInput = z.infer<typeof ZSignUpSchema>;

export const ZSignInSchema = z.object({
  email: ZEmailSchema,
  password: z.string().min(1, "Enter your password.").max(200),
});

export const ZChangePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(200),
  newPassword: ZPasswordSchema,
});
