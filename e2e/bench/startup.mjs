// How fast the widget appears and answers, measured in Chromium on the release build, and how
// its start compares with the floor app's (xtask/floor: one form on the same stack), loaded in
// the same browser between the widget's runs.
// Prints figures; asserts nothing (a timed test would flake on a busy machine).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { floorDist, launch, serveDirectory, startServer } from "../lib/harness.mjs";

if (!existsSync(join(floorDist, "index.html"))) {
  throw new Error(`no floor app in ${floorDist}: build it with \`cargo xtask size\` (or set DESKFORM_FLOOR_DIST)`);
}
const runs = Number(process.env.DESKFORM_BENCH_RUNS ?? 15);
const server = await startServer();
const floorServer = await serveDirectory(floorDist);
const browser = await launch();

/** Records when an element matching `selector` first appears, as `window.__rendered`. */
function watchFor(selector) {
  new MutationObserver((_, observer) => {
    if (document.querySelector(selector)) {
      window.__rendered = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });
}

/** When the page's wasm finished arriving, and when the form appeared (ms from navigation). */
const startTimes = (page) =>
  page.evaluate(() => ({
    ready: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
    wasm: performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm")).responseEnd,
    rendered: window.__rendered,
  }));

/** One cold load of the floor app: wasm downloaded → form rendered, measured as for the widget. */
async function floorStart() {
  const context = await browser.newContext({ timezoneId: "Asia/Tokyo", locale: "en-US" });
  const page = await context.newPage();
  await page.addInitScript(watchFor, ".floor-form");
  await page.goto(`${floorServer.url}/`);
  await page.waitForSelector(".floor-form");
  const load = await startTimes(page);
  await context.close();
  return load.rendered - load.wasm;
}

const pageReady = [];
const firstRender = [];
const wasmToRender = [];
const chooseDesk = [];
const typing = [];
const sending = [];
const floorWasmToRender = [];
for (let run = 0; run < runs; run++) {
  // The floor before the widget on odd runs, after it on even ones: neither always goes first.
  if (run % 2 === 1) floorWasmToRender.push(await floorStart());
  // A fresh context each time: nothing cached, as for a first visit.
  const context = await browser.newContext({ timezoneId: "Asia/Tokyo", locale: "en-US" });
  const page = await context.newPage();
  await page.addInitScript(watchFor, ".deskform-form");
  await page.goto(`${server.url}/?plan=business&lang=en`);
  await page.waitForSelector(".deskform-form");
  const load = await startTimes(page);
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
  if (run % 2 === 0) floorWasmToRender.push(await floorStart());
}
await browser.close();
await server.close();
await floorServer.close();

const sortedAt = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const stats = (values) =>
  `median ${sortedAt(values, 0.5).toFixed(1)} ms, p90 ${sortedAt(values, 0.9).toFixed(1)} ms, min ${sortedAt(values, 0).toFixed(1)} ms`;
console.log(`widget in Chromium, ${runs} cold loads of the release build from 127.0.0.1:`);
console.log(`  navigation start → page parsed (DOMContentLoaded): ${stats(pageReady)}`);
console.log(`  navigation start → form rendered:                  ${stats(firstRender)}`);
console.log(`  wasm downloaded → form rendered (compile, start):  ${stats(wasmToRender)}`);
console.log(`  click a desk → reply date shown:                   ${stats(chooseDesk)}`);
console.log(`  one keystroke in the message → rendered:           ${stats(typing)}`);
console.log(`  click Send → ticket shown (stored by the receiver): ${stats(sending)}`);
console.log(`floor app (xtask/floor) in the same Chromium, ${runs} cold loads between the widget's:`);
console.log(`  wasm downloaded → form rendered (compile, start):  ${stats(floorWasmToRender)}`);
const widgetMedian = sortedAt(wasmToRender, 0.5);
const floorMedian = sortedAt(floorWasmToRender, 0.5);
console.log(
  `wasm downloaded → form rendered, medians: widget ${widgetMedian.toFixed(1)} ms, floor ${floorMedian.toFixed(1)} ms, ` +
    `widget = ${(widgetMedian / floorMedian).toFixed(2)} × the floor`,
);
