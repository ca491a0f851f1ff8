const { startFakeProviderServer } = await import("@/tests/fixtures/fake-providers/server");
const { createOpenAICompatibleTextProvider } = await import("@/lib/server/providers/openai-compatible");
const fake = await startFakeProviderServer({ chunkDelayMs: 2 });
const provider = createOpenAICompatibleTextProvider({ slug: "x", providerKind: "openai_compatible", endpoint: `${fake.url}/v1`, providerModelId: "fake-ok", apiKeyEnvVar: null, extraParams: {}, timeoutMs: 10000, maxTokens: 256, maxConcurrency: 8 }, { getSecret: () => undefined });
for (let i = 0; i < 10; i++) {
  const t0 = performance.now(); let first = 0;
  for await (const e of provider.streamChat({ messages: [{ role: "user", content: "Explain tide pools" }], signal: new AbortController().signal })) { if (e.type === "delta" && !first) first = performance.now() - t0; }
  const t1 = performance.now();
  const r = await fetch(`${fake.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "fake-ok", stream: true, messages: [{ role: "user", content: "Explain tide pools" }] }) });
  let rf = 0; for await (const c of r.body as unknown as AsyncIterable<Uint8Array>) { if (!rf && new TextDecoder().decode(c).includes("content\":\"")) rf = performance.now() - t1; }
  console.log(`adapter first ${first.toFixed(1)} total ${(t1 - t0).toFixed(1)} | raw first ${rf.toFixed(1)} total ${(performance.now() - t1).toFixed(1)}`);
}
process.exit(0);
