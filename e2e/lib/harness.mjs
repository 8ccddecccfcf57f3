// Shared by the end-to-end tests: a static server for the release build (and the fixtures),
// Debian's Chromium driven by playwright-core, and helpers that act as a visitor does.
import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";

const here = fileURLToPath(new URL(".", import.meta.url));
export const dist = resolve(process.env.DESKFORM_DIST ?? join(here, "../../dist"));
export const fixtures = resolve(join(here, "../fixtures"));
export const screenshots = resolve(process.env.DESKFORM_SCREENSHOTS ?? join(here, "../../target/screenshots"));

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
};

/** Serves `dist/` at `/` and the fixtures at `/fixtures/` on 127.0.0.1, on a free port. */
export async function startServer() {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (path === "/two-widgets.html") {
      // The demo page with two widgets, as a host page with a form in the body and another in
      // a sidebar would have.
      const page = (await readFile(join(dist, "index.html"), "utf8")).replace(
        "<div data-deskform></div>",
        '<div data-deskform id="main-form" data-plan="business" data-locale="ja"></div>' +
          '<div data-deskform id="side-form" data-locale="en"><p>Loading…</p></div>',
      );
      response.writeHead(200, { "content-type": types[".html"] }).end(page);
      return;
    }
    const [base, rest] = path.startsWith("/fixtures/") ? [fixtures, path.slice(10)] : [dist, path.slice(1) || "index.html"];
    const file = normalize(join(base, rest));
    if (!file.startsWith(base)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

/** Debian's Chromium, headless, without the background traffic this network refuses. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Starts the server and the browser before a test file's tests and stops them after; the
 * returned object holds both once started.
 */
export function useBrowser() {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * Opens the demo help page as a visitor: `plan`, `lang` and `config` go to the widget's
 * attributes; `timezoneId` and `locale` are the browser's; `time` fixes the clock; `path`
 * opens another page of the server. Resolves once a widget has rendered; `errors` collects
 * console errors.
 */
export async function openWidget({ browser, server }, options = {}) {
  const { plan, lang, config, timezoneId = "Asia/Tokyo", locale = "en-US", time, viewport, path = "/" } = options;
  const context = await browser.newContext({ timezoneId, locale, viewport: viewport ?? { width: 1100, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  if (time) await page.clock.install({ time: new Date(time) });
  const query = new URLSearchParams();
  if (plan !== undefined) query.set("plan", plan);
  if (lang) query.set("lang", lang);
  if (config) query.set("config", config);
  await page.goto(`${server.url}${path}?${query}`);
  await page.waitForSelector(".deskform-form, .deskform-unavailable", { timeout: 15_000 });
  return { context, page, errors };
}

/** The widget's desks as the visitor sees them: id, whether it can be chosen, lock text. */
export async function desks(page) {
  return page.$$eval(".deskform-desk", (nodes) =>
    nodes.map((node) => {
      const input = node.querySelector("input[type=radio]");
      const lock = node.querySelector(".deskform-lock");
      const link = lock?.querySelector("a");
      return {
        id: input.value,
        enabled: !input.disabled,
        lock: lock ? lock.firstChild.textContent.trim() : null,
        link: link ? link.getAttribute("href") : null,
      };
    }),
  );
}

/** Chooses a desk by its visible name, as a visitor clicks its label. */
export async function chooseDesk(page, name) {
  await page.getByLabel(name, { exact: true }).check();
}

/** The reply date shown: its machine-readable date and its visible text. */
export async function replyDate(page) {
  const time = page.getByTestId("reply-date");
  return { iso: await time.getAttribute("datetime"), text: (await time.textContent()).trim() };
}

export async function screenshot(page, name) {
  await mkdir(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/** axe's violations on the whole page, one line each (none is what every test expects). */
export async function axe(page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}
