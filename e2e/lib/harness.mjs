// Shared by the end-to-end tests: a real `deskform serve` (the receiver, with its own SQLite
// file), a server in front of it that serves the release build and the fixtures and can break
// the network on purpose, Debian's Chromium driven by playwright-core, and helpers that act as
// a visitor does.
import { spawn, execFileSync } from "node:child_process";
import { createServer, request as httpRequest } from "node:http";
import { readFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createHmac, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";

const here = fileURLToPath(new URL(".", import.meta.url));
export const dist = resolve(process.env.DESKFORM_DIST ?? join(here, "../../dist"));
/** The floor app (`xtask/floor`, built by `cargo xtask size` and `bench`): the benchmark's yardstick. */
export const floorDist = resolve(process.env.DESKFORM_FLOOR_DIST ?? join(here, "../../target/floor-dist"));
export const fixtures = resolve(join(here, "../fixtures"));
/** The embedding examples (`examples/`), served at `/examples/` beside dist/ at `/dist/`. */
export const examples = resolve(join(here, "../../examples"));

/**
 * The Content-Security-Policy the front server sends with every page: the strictest a help
 * site could choose, and the one the README promises the widget works under.
 */
export const STRICT_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self'; base-uri 'none'; form-action 'none'";
/** The same with a nonce instead of 'self' for scripts (the nonce example). */
export const nonceCsp = (nonce) => STRICT_CSP.replace("script-src 'self'", `script-src 'nonce-${nonce}'`);
export const screenshots = resolve(process.env.DESKFORM_SCREENSHOTS ?? join(here, "../../target/screenshots"));
/** The `deskform` command (`cargo xtask test` builds it first). */
export const deskformBin = resolve(process.env.DESKFORM_BIN ?? join(here, "../../target/debug/deskform"));

/**
 * The HS256 secret a team's backend signs identity tokens with (`mintToken`), for a receiver
 * started with `--identity-key` (`identityKeyFile`). The demo receiver signs its own with a
 * secret of its process: `--demo` and `--identity-key` never go together.
 */
const identitySecret = randomBytes(32).toString("hex");

/** An identity token signed as a team's backend signs it (HS256, `identitySecret`). */
export function mintToken(claims) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${unsigned}.${createHmac("sha256", identitySecret).update(unsigned).digest("base64url")}`;
}

/** Writes the secret `mintToken` signs with to `path`, for `--identity-key`; returns `path`. */
export function identityKeyFile(path) {
  writeFileSync(path, identitySecret, { mode: 0o600 });
  return path;
}

/**
 * Starts `deskform serve` on a free loopback port with `extraArgs` (the demo's sign-in by
 * default); resolves once it listens. The tests post far more than the default 20 a minute
 * from one address: no rate limit.
 */
export function startReceiver(db, extraArgs = ["--demo"]) {
  const args = ["serve", "--port", "0", "--db", db, "--dist", dist, "--rate-limit", "0", ...extraArgs];
  const child = spawn(deskformBin, args, {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((ok, fail) => {
    let out = "";
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`deskform serve exited (${code}): ${out}`)));
    child.stdout.on("data", function listen(chunk) {
      out += chunk;
      const found = out.match(/listening on (http:\/\/[^/\s]+)\//);
      if (!found) return;
      child.stdout.off("data", listen);
      child.stdout.resume();
      child.removeAllListeners("exit");
      ok({
        url: found[1],
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once("exit", done);
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

/** What a receiver stored in `db`: `{ ticket, receivedAt, desk, due, email, subject }` each. */
export function storedInquiries(db) {
  return execFileSync(deskformBin, ["inquiries", "--db", db], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [ticket, receivedAt, desk, due, email, subject] = line.split("\t");
      return { ticket, receivedAt, desk, due, email, subject };
    });
}

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
};

/**
 * Starts a receiver with a fresh database, and a server on 127.0.0.1 that serves `dist/` at
 * `/`, the fixtures at `/fixtures/`, and passes `/api/` and `/demo/` to the receiver, as a
 * help site in front of its support backend would. `faults` breaks that path on purpose:
 * - `faults.inquiries`: what happens to the next inquiry posts, one entry each:
 *   `{ status }` answers it without passing it on; `{ dropReply: true }` passes it on and
 *   drops the connection before the answer (stored, but the browser never hears);
 *   `{ delayMs }` passes it on and holds the answer that long.
 * - `faults.sessionDown`: the session request's connection is dropped.
 * Every HTML page goes out with `STRICT_CSP` (the nonce example with its nonce: a fresh one per
 * answer, written where the page says `{{nonce}}`). `dist/` is also served at `/dist/`, for the
 * examples at `/examples/`.
 * `posts` counts the inquiry posts that arrived; `inquiries()` lists what the receiver stored.
 */
export async function startServer() {
  const dir = await mkdtemp(join(tmpdir(), "deskform-e2e-"));
  const db = join(dir, "deskform.db");
  let receiver = await startReceiver(db);
  const faults = { inquiries: [], sessionDown: false };
  const stats = { posts: 0 };

  function pass(request, response, { dropReply = false, delayMs = 0 } = {}) {
    const target = new URL(request.url, receiver.url);
    const upstream = httpRequest(target, { method: request.method, headers: request.headers }, (answer) => {
      if (dropReply) {
        answer.resume();
        request.socket.destroy();
        return;
      }
      const held = setTimeout(() => {
        response.writeHead(answer.statusCode, { ...answer.headers, connection: "close" });
        answer.pipe(response);
      }, delayMs);
      // The browser gave up (timeout, reload): nothing is left to answer.
      response.on("close", () => clearTimeout(held));
    });
    // The receiver is down: the browser sees the connection fail, as it would.
    upstream.on("error", () => request.socket.destroy());
    request.pipe(upstream);
  }

  const server = createServer(async (request, response) => {
    // A new connection for every request: a dropped answer then reaches the page as the network
    // error it is, instead of Chromium quietly resending on a reused connection.
    response.setHeader("connection", "close");
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (path.startsWith("/api/") || path.startsWith("/demo/")) {
      if (path === "/api/session" && faults.sessionDown) return request.socket.destroy();
      if (path === "/api/inquiries" && request.method === "POST") {
        stats.posts += 1;
        const fault = faults.inquiries.shift();
        if (fault?.status) {
          request.resume();
          response.writeHead(fault.status, { "content-type": "text/html" }).end("<h1>Internal Server Error</h1>");
          return;
        }
        return pass(request, response, fault);
      }
      return pass(request, response);
    }
    if (path === "/two-widgets.html" || path === "/no-receiver.html") {
      const index = await readFile(join(dist, "index.html"), "utf8");
      const page =
        path === "/no-receiver.html"
          ? // A host page without a receiver: the form says it cannot send.
            index.replace(' data-submit-url="/api/inquiries"', "")
          : // Two widgets, as a host page with a form in the body and another in a sidebar.
            index.replace(
              /<div data-deskform[^>]*><\/div>/,
              '<div data-deskform id="main-form" data-plan="business" data-locale="ja"></div>' +
                '<div data-deskform id="side-form" data-locale="en"><p>Loading…</p></div>',
            );
      response.writeHead(200, { "content-type": types[".html"], "content-security-policy": STRICT_CSP }).end(page);
      return;
    }
    // The examples and fixtures name no icon: the browser asks for the site's.
    if (path === "/favicon.ico") return response.writeHead(204).end();
    const [base, rest] = path.startsWith("/fixtures/")
      ? [fixtures, path.slice(10)]
      : path.startsWith("/examples/")
        ? [examples, path.slice(10)]
        : path.startsWith("/dist/")
          ? [dist, path.slice(6)]
          : [dist, path.slice(1) || "index.html"];
    await sendFile(response, base, rest);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    faults,
    stats,
    /** The receiver's own address: the demo page exactly as `deskform serve` serves it. */
    receiverUrl: () => receiver.url,
    stopReceiver: () => receiver.stop(),
    restartReceiver: async () => {
      receiver = await startReceiver(db);
    },
    /** What the receiver stored: see `storedInquiries`. */
    inquiries: () => storedInquiries(db),
    close: async () => {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
      await receiver.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Answers with the file at `rest` under the directory `base`, with its content type; a page
 * with `STRICT_CSP` unless `csp` is false.
 */
async function sendFile(response, base, rest, { csp = true } = {}) {
  const file = normalize(join(base, rest));
  if (!file.startsWith(base)) {
    response.writeHead(403).end();
    return;
  }
  try {
    let body = await readFile(file);
    const headers = { "content-type": types[extname(file)] ?? "application/octet-stream" };
    if (csp && extname(file) === ".html") {
      headers["content-security-policy"] = STRICT_CSP;
      const page = body.toString("utf8");
      if (page.includes("{{nonce}}")) {
        const nonce = randomBytes(16).toString("base64");
        body = page.replaceAll("{{nonce}}", nonce);
        headers["content-security-policy"] = nonceCsp(nonce);
      }
    }
    response.writeHead(200, headers);
    response.end(body);
  } catch {
    response.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
}

/**
 * Serves a directory alone on a free loopback port, as the front server serves `dist/` (a new
 * connection for every request too): the floor app for the benchmark.
 */
export async function serveDirectory(base) {
  const server = createServer(async (request, response) => {
    response.setHeader("connection", "close");
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    // The floor app starts from Trunk's inline script: no CSP for it.
    await sendFile(response, base, path.slice(1) || "index.html", { csp: false });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
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
 * Opens the demo help page as a visitor: `plan`, `lang`, `config` and `lockedDesks` go to the
 * widget's attributes; `timezoneId` and `locale` are the browser's; `time` fixes the clock;
 * `path` opens another page of the server. Resolves once a widget has rendered; `errors`
 * collects console errors.
 */
export async function openWidget({ browser, server }, options = {}) {
  const { plan, lang, config, lockedDesks, timezoneId = "Asia/Tokyo", locale = "en-US", time, viewport, path = "/" } = options;
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
  if (lockedDesks !== undefined) query.set("locked", lockedDesks);
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

/** The line under the desks on how to get more of them (`null` if none): its text and link. */
export async function moreDesks(page) {
  const line = page.locator(".deskform-more-desks");
  if ((await line.count()) === 0) return null;
  const link = line.locator("a");
  return {
    text: (await line.innerText()).trim(),
    link: (await link.count()) ? await link.getAttribute("href") : null,
  };
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
