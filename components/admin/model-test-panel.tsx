"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { AnswerMarkdown } from "@/components/arena/answer-markdown";
import { Button } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { TextAreaField } from "@/components/ui/field";
import type { TModality } from "@/lib/domain/vocabulary";
import { useTRPC } from "@/lib/trpc/react";
import { errorMessage } from "./admin-ui";

/**
 * A blob: URL for a data: URL. The content security policy lets audio play from blob: but not from
 * data: URLs, so media results are decoded here; the URL is revoked when the result changes.
 */
function useBlobUrl(dataUrl: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!dataUrl) return setUrl(null);
    const match = /^data:([^;,]+);base64,(.*)$/s.exec(dataUrl);
    if (!match) return setUrl(null);
    const bytes = Uint8Array.from(atob(match[2]), (char) => char.charCodeAt(0));
    const objectUrl = URL.createObjectURL(new Blob([bytes], { type: match[1] }));
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [dataUrl]);
  return url;
}

/** Sends one prompt to the model and shows what came back: text, an image, playable audio, or the failure and its kind. */
export function ModelTestPanel({ modelId, modality }: { modelId: string; modality: TModality }) {
  const trpc = useTRPC();
  const [prompt, setPrompt] = useState(modality === "text" ? "Explain in two sentences what a watershed is." : modality === "image" ? "A lighthouse at dusk" : "Calm piano with rain");
  const [withSamplePersona, setWithSamplePersona] = useState(false);
  const test = useMutation(trpc.adminModels.test.mutationOptions());

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    test.mutate({ id: modelId, prompt, withSamplePersona });
  }

  const result = test.data;
  const mediaUrl = useBlobUrl(result?.ok && result.kind !== "text" ? result.dataUrl : null);
  return (
    <Card className="space-y-4">
      <h2 className="text-lg font-semibold">Test this model</h2>
      <form onSubmit={onSubmit} className="space-y-3" aria-label="Test the model">
        <TextAreaField label="Prompt" name="testPrompt" rows={3} value={prompt} onChange={(event) => setPrompt(event.target.value)} maxLength={4000} />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={withSamplePersona} onChange={(event) => setWithSamplePersona(event.target.checked)} />
          Send the sample persona (rendered with this model&apos;s template) as the system prompt
        </label>
        <Button type="submit" disabled={test.isPending || prompt.trim() === ""}>{test.isPending ? "Waiting for the answer…" : "Send test prompt"}</Button>
      </form>
      {test.isError ? <Alert>{errorMessage(test.error)}</Alert> : null}
      {result ? (
        <div className="space-y-2" data-testid="model-test-result">
          {result.ok ? (
            <p className="text-xs text-slate-500">
              Answered in {result.latencyMs} ms
              {result.kind === "text" && result.firstTokenMs !== null ? ` · first token after ${result.firstTokenMs} ms` : ""}
              {result.kind === "text" && result.outputTokens !== null ? ` · ${result.outputTokens} output tokens` : ""}
            </p>
          ) : (
            <Alert>
              <strong className="font-semibold">The model failed ({result.error.kind}{result.error.status ? `, HTTP ${result.error.status}` : ""}):</strong> {result.error.message}
              <span className="block text-xs">after {result.latencyMs} ms</span>
            </Alert>
          )}
          {result.systemPrompt ? (
            <details className="text-xs text-slate-600">
              <summary>System prompt sent</summary>
              <pre className="mt-1 whitespace-pre-wrap">{result.systemPrompt}</pre>
            </details>
          ) : null}
          {result.ok && result.kind === "text" ? (
            <div className="rounded-lg border border-slate-200 p-3" data-testid="model-test-answer"><AnswerMarkdown text={result.text} /></div>
          ) : null}
          {!result.ok && result.partialText ? (
            <div className="rounded-lg border border-dashed border-slate-300 p-3 text-sm text-slate-600">
              <p className="text-xs font-medium">Partial answer before the failure:</p>
              <AnswerMarkdown text={result.partialText} />
            </div>
          ) : null}
          {result.ok && result.kind === "image" && mediaUrl ? (
            <img src={mediaUrl} alt="Generated test image" className="max-h-96 rounded-lg ring-1 ring-slate-200" data-testid="model-test-image" />
          ) : null}
          {result.ok && result.kind === "audio" && mediaUrl ? (
            <audio controls src={mediaUrl} data-testid="model-test-audio" className="w-full">
              Your browser cannot play this audio.
            </audio>
          ) : null}
          {result.ok && result.kind !== "text" ? (
            <p className="text-xs text-slate-500">
              {result.mime}, {Math.round(result.bytes / 1024)} KB{result.width ? `, ${result.width}×${result.height}` : ""}{result.durationSeconds ? `, ${result.durationSeconds.toFixed(1)} s` : ""}
            </p>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
