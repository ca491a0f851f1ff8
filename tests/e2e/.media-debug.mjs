import { chromium, devices } from "@playwright/test";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--headless", "--disable-gpu"] });
for (const opts of [{}, {}, {}, devices["Desktop Chrome"]]) {
  const context = await browser.newContext({ ...opts, baseURL: "http://localhost:3202" });
  const page = await context.newPage();
  page.on("response", async (r) => { if (r.url().includes("callback/guest")) console.log("  callback", r.status(), JSON.stringify(await r.allHeaders()).includes("session-token"), await r.text().catch(() => "?")); });
  page.on("request", (r) => { if (r.url().includes("callback/guest")) console.log("  req body", r.postData()?.slice(0, 80)); });
  await page.goto("/");
  await page.getByRole("button", { name: "Try it as a guest" }).click();
  await page.waitForTimeout(3000);
  console.log("COOKIES", (await context.cookies()).map((c) => `${c.name}`).join(","), "URL", page.url());
  await context.close();
}
await browser.close();
