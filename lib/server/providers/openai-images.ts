import "server-only";

import { forwardableExtraParams } from "./adapter-support";
import { providerFailure } from "./failures";
import { decodeBase64Media, downloadMedia, MediaCallFailure, postJson, readBodyWithLimit, runEndpointMediaCall } from "./media-http";
import { DEFAULT_MAX_IMAGE_BYTES, validateImageBytes } from "./media-validation";
import type { ImageProvider, ModelConfig, ProviderDependencies } from "./types";

/**
 * OpenAI-compatible Images API: `POST {endpoint}/images/generations` with `{model, prompt, n: 1,
 * size}`; accepts `data[0].b64_json` or `data[0].url` (downloaded under the same size limit).
 * The persona context is not sent: the Images API has no field for it. extraParams (size, quality,
 * style, response_format, ...) go into the body; `size` defaults to "1024x1024".
 */
export function createOpenAIImagesProvider(config: ModelConfig, deps: ProviderDependencies): ImageProvider {
  return {
    async generateImage({ prompt, signal }) {
      return runEndpointMediaCall(config, deps, signal, DEFAULT_MAX_IMAGE_BYTES, async (context, { endpoint, headers }) => {
        const { providerLabel, maxBytes } = context;
        const extras = forwardableExtraParams(config.extraParams);
        const body = { size: "1024x1024", ...extras, model: config.providerModelId, prompt, n: 1 };
        const response = await postJson(`${endpoint}/images/generations`, body, headers, context);
        // The JSON carries base64 images, so it may legitimately be ~4/3 of the image limit.
        const raw = await readBodyWithLimit(response, { ...context, maxBytes: Math.ceil(maxBytes * 1.4) + 4096 }, "image");
        let parsed: { data?: Array<{ b64_json?: unknown; url?: unknown }> };
        try {
          parsed = JSON.parse(new TextDecoder().decode(raw));
        } catch {
          throw new MediaCallFailure(providerFailure("bad_response", `${providerLabel} sent a response that is not JSON`));
        }
        const first = Array.isArray(parsed.data) ? parsed.data[0] : undefined;
        if (!first) return { ok: false, error: providerFailure("empty", `${providerLabel} returned no image`) };
        const bytes =
          typeof first.b64_json === "string"
            ? decodeBase64Media(first.b64_json, context, "image")
            : typeof first.url === "string"
              ? await downloadMedia(first.url, context, "image")
              : null;
        if (!bytes) return { ok: false, error: providerFailure("bad_response", `${providerLabel} returned an image entry without b64_json or url`) };
        return validateImageBytes(bytes, maxBytes, providerLabel);
      });
    },
  };
}
