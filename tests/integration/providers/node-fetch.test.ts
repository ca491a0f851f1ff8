import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

import { afterEach, describe, expect, it } from "vitest";

import { nodeFetch } from "@/lib/server/providers/node-fetch";

type THandler = (req: http.IncomingMessage, res: http.ServerResponse, requestOnSocket: number) => void;

const servers: http.Server[] = [];

async function serve(handler: THandler): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const perSocket = new WeakMap<Socket, number>();
  const server = http.createServer((req, res) => {
    requests += 1;
    const count = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, count);
    req.resume();
    req.on("end", () => handler(req, res, count));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat`, requests: () => requests };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const post = (url: string, init: RequestInit = {}) => nodeFetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}", ...init });

describe("nodeFetch (the AI SDK's fetch for text providers)", () => {
  it("sends method, headers and body, and returns status, headers and the body as it streams", async () => {
    let release = () => {};
    const seen: { method?: string; auth?: string } = {};
    const server = await serve((req, res) => {
      seen.method = req.method;
      seen.auth = req.headers.authorization;
      res.writeHead(201, { "content-type": "text/event-stream", "x-request-id": "abc" });
      res.write("data: first\n\n");
      release = () => res.end("data: second\n\n");
    });
    const response = await post(server.url, { headers: { authorization: "Bearer k" } });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toBe("abc");
    expect(seen).toEqual({ method: "POST", auth: "Bearer k" });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: first\n\n");
    release();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: second\n\n");
    expect((await reader.read()).done).toBe(true);
  });

  it("sends a request again on a new connection when the reused one was closed under it", async () => {
    // The second request on a connection finds it closed, as when a server's keep-alive timeout fires just as we send.
    const server = await serve((req, res, requestOnSocket) => (requestOnSocket > 1 ? req.socket.destroy() : res.end("ok")));
    expect(await (await post(server.url)).text()).toBe("ok");
    expect(await (await post(server.url)).text()).toBe("ok");
    expect(server.requests()).toBe(3);
  });

  it("does not send again when a fresh connection is reset", async () => {
    const server = await serve((req) => req.socket.destroy());
    await expect(post(server.url)).rejects.toMatchObject({ code: "ECONNRESET" });
    expect(server.requests()).toBe(1);
  });

  it("errors the body when the connection closes before the response is complete", async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: partial\n\n", () => setTimeout(() => req.socket.destroy(), 20));
    });
    const response = await post(server.url);
    await expect(response.text()).rejects.toThrow("terminated");
  });

  it("aborts the request when the signal fires, before or after the response", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200);
      res.write("waiting");
    });
    const before = new AbortController();
    before.abort();
    await expect(post(server.url, { signal: before.signal })).rejects.toMatchObject({ name: "AbortError" });
    const during = new AbortController();
    const response = await post(server.url, { signal: during.signal });
    const reader = response.body!.getReader();
    await reader.read();
    during.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: "AbortError" });
  });
});
