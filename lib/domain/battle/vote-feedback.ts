/** The vote form's feedback fields as typed: empty text means no feedback on that field. */
export interface TFeedbackFields {
  general: string;
  a: string;
  b: string;
}

/**
 * The feedback a vote sends: the fields with text, the empty ones left out rather than sent as undefined.
 * An undefined anywhere in a tRPC input makes superjson annotate it and walk the whole input on both
 * ends (lib/trpc/transformer.ts); without one the input is plain JSON and skips that walk.
 */
export function givenFeedback(fields: TFeedbackFields): Partial<TFeedbackFields> {
  return Object.fromEntries(Object.entries(fields).filter(([, text]) => text !== ""));
}
