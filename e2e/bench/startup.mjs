// How fast the widget appears and answers, measured in Chromium on the release build.
// Prints figures; asserts nothing (a timed test would flake on a busy machine).
import { launch, startServer } from "../lib/harness.mjs";

const runs = Number(process.env.DESKFORM_BENCH_RUNS ?? 15);
const server = await startServer();
const browser = await launch();

const pageReady = [];
const firstRender = [];
const wasmToRender = [];
const chooseDesk = [];
const typing = [];
const sending = [];
for (let run = 0; run < runs; run++) {
  // A fresh context each time: nothing cached, as for a first visit.
  const context = await browser.newContext({ timezoneId: "Asia/Tokyo", locale: "en-US" });
  const page = await context.newPage();
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector(".deskform-form")) {
        window.__rendered = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true });
  });
  await page.goto(`${server.url}/?plan=business&lang=en`);
  await page.waitForSelector(".deskform-form");
  const load = await page.evaluate(() => ({
    ready: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
    wasm: performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm")).responseEnd,
    rendered: window.__rendered,
  }));
  pageReady.push(load.ready);
  firstRender.push(load.rendered);
  wasmToRender.push(load.rendered - load.wasm);
  chooseDesk.push(
    await page.evaluate(async () => {
      const start = performance.now();
      document.querySelector("input[value=usage]").click();
      while (!document.querySelector("[data-testid=reply-date]")) await new Promise(requestAnimationFrame);
      return performance.now() - start;
    }),
  );
  typing.push(
    await page.evaluate(async () => {
      // Each keystroke waits for its own render (the character count moving on).
      const message = document.querySelector("textarea");
      const count = document.querySelector(".deskform-count");
      const start = performance.now();
      for (let i = 1; i <= 50; i++) {
        message.value += "x";
        message.dispatchEvent(new InputEvent("input", { bubbles: true }));
        while (!count.textContent.startsWith(`${i} `)) await new Promise((ok) => setTimeout(ok, 0));
      }
      return (performance.now() - start) / 50;
    }),
  );
  // The page states the plan (data-plan) but the browser is signed out, so the receiver only
  // takes the login desk.
  await page.locator("input[value=login]").check();
  await page.getByLabel("Email").fill("bench@example.com");
  await page.getByLabel("Subject").fill(`Benchmark ${run}`);
  sending.push(
    await page.evaluate(async () => {
      // Through the front server to a real `deskform serve`, stored in SQLite, shown.
      const start = performance.now();
      document.querySelector(".deskform-send").click();
      const deadline = start + 30_000;
      while (!document.querySelector("[data-testid=ticket-id]")) {
        if (performance.now() > deadline) throw new Error(document.querySelector(".deskform-outcome").textContent);
        await new Promise(requestAnimationFrame);
      }
      return performance.now() - start;
    }),
  );
  await context.close();
}
await browser.close();
await server.close();

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, min ${sorted[0].toFixed(1)} ms`;
};
console.log(`widget in Chromium, ${runs} cold loads of the release build from 127.0.0.1:`);
console.log(`  navigation start → page parsed (DOMContentLoaded): ${stats(pageReady)}`);
console.log(`  navigation start → form rendered:                  ${stats(firstRender)}`);
console.log(`  wasm downloaded → form rendered (compile, start):  ${stats(wasmToRender)}`);
console.log(`  click a desk → reply date shown:                   ${stats(chooseDesk)}`);
console.log(`  one keystroke in the message → rendered:           ${stats(typing)}`);
console.log(`  click Send → ticket shown (stored by the receiver): ${stats(sending)}`);
