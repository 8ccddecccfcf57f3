// Embedding for web teams: the stable loader (dist/deskform.js), the <deskform-widget>
// element, the mount API and its events, under the strict CSP every page of the front server
// sends (STRICT_CSP), beside a hostile stylesheet, with the wasm blocked, in dark mode.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axe, replyDate, screenshot, useBrowser } from "../lib/harness.mjs";

const env = useBrowser();

/** The form inside a `<deskform-widget>` (Playwright's CSS pierces its open shadow root). */
const FORM = "deskform-widget .deskform-form";

/**
 * Opens `path` with listeners installed before any page script: CSP violations, the widget's
 * events (on the document: they bubble and are composed), and layout shifts.
 */
async function open(path, { colorScheme = "light", before, viewport = { width: 1000, height: 900 } } = {}) {
  const context = await env.browser.newContext({
    timezoneId: "Asia/Tokyo",
    locale: "en-US",
    viewport,
    colorScheme,
  });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  await page.addInitScript(() => {
    window.__violations = [];
    window.__events = [];
    window.__shift = 0;
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
    for (const type of ["ready", "desk-change", "submit", "sent", "error"]) {
      document.addEventListener(`deskform:${type}`, (e) =>
        window.__events.push({
          type: e.type,
          detail: JSON.parse(JSON.stringify(e.detail)),
          target: e.target.id || e.target.localName,
          bubbles: e.bubbles,
          composed: e.composed,
        }),
      );
    }
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  if (before) await before(page);
  await page.goto(`${env.server.url}${path}`);
  return { context, page, errors };
}

const violations = (page) => page.evaluate(() => window.__violations);
const events = (page, type) =>
  page.evaluate((type) => window.__events.filter((e) => !type || e.type === `deskform:${type}`), type);
const formCount = (page) =>
  page.evaluate(() => {
    const count = (root) =>
      root.querySelectorAll(".deskform-form").length +
      [...root.querySelectorAll("*")].reduce((n, el) => n + (el.shadowRoot ? count(el.shadowRoot) : 0), 0);
    return count(document);
  });

test("the demo page starts from deskform.js, with no inline script, under the strict CSP", async () => {
  const { context, page, errors } = await open("/?plan=business&lang=en");
  await page.waitForSelector(".deskform-form", { timeout: 15_000 });
  const inline = await page.$$eval("script:not([src])", (nodes) => nodes.length);
  assert.equal(inline, 0, "no inline script on the page");
  assert.equal(await page.locator("input[value=usage]").isDisabled(), false, "the demo script ran (?plan=)");
  await page.locator("input[value=usage]").check();
  await page.getByTestId("reply-date").waitFor();
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  const shift = await page.evaluate(() => window.__shift);
  console.log(`# demo page: cumulative layout shift ${shift.toFixed(4)}`);
  assert.ok(shift < 0.01, `cumulative layout shift ${shift}`);
  await context.close();
});

test("a bare <deskform-widget> renders in its shadow root with no CSP violation and no layout shift", async () => {
  const { context, page, errors } = await open("/examples/plain.html");
  await page.waitForSelector(FORM, { timeout: 15_000 });
  const inShadow = await page.$eval("deskform-widget", (el) => !!el.shadowRoot?.querySelector(".deskform-form"));
  assert.ok(inShadow, "the form is inside the element's open shadow root");
  assert.equal(await page.$$eval(".deskform-form", (n) => n.filter((x) => x.getRootNode() === document).length), 0);
  await page.locator("deskform-widget input[value=login]").check();
  await page.locator("deskform-widget").getByTestId("reply-date").waitFor();
  await page.waitForTimeout(300);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  const shift = await page.evaluate(() => window.__shift);
  console.log(`# <deskform-widget> page: cumulative layout shift ${shift.toFixed(4)}`);
  assert.ok(shift < 0.01, `cumulative layout shift ${shift}`);
  await context.close();
});

/** Records the widget builds a page downloads: `lean`, `full`, by their wasm files. */
function trackBuilds(page) {
  const loaded = [];
  page.on("request", (request) => {
    const name = new URL(request.url()).pathname.split("/").pop();
    if (name.endsWith(".wasm")) loaded.push(name.startsWith("deskform-widget-full-") ? "full" : "lean");
  });
  return loaded;
}

const shadowDesks = (page) =>
  page.$$eval("deskform-widget", (els) =>
    els.map((el) => [...el.shadowRoot.querySelectorAll("input[type=radio]")].map((i) => i.value)),
  );

test("each page downloads one build: the lean one for the built-in catalog, the full one for its own", async () => {
  let loaded;
  const builtIn = await open("/fixtures/bare.html", { before: (page) => (loaded = trackBuilds(page)) });
  await builtIn.page.waitForSelector(FORM, { timeout: 15_000 });
  assert.deepEqual(await shadowDesks(builtIn.page), [["login", "usage"]]);
  assert.deepEqual(loaded, ["lean"]);
  assert.deepEqual(builtIn.errors, []);
  await builtIn.context.close();

  const own = await open("/fixtures/custom.html", { before: (page) => (loaded = trackBuilds(page)) });
  await own.page.waitForSelector("deskform-widget input[value=billing]", { timeout: 15_000 });
  assert.deepEqual(await shadowDesks(own.page), [["general", "billing"]]);
  // The page's widgets all run on the full build once it is there: a second one, without a
  // catalog of its own, does not download the lean build too.
  await own.page.evaluate(() => {
    const second = document.createElement("deskform-widget");
    second.setAttribute("plan", "free");
    second.setAttribute("locale", "en");
    document.querySelector("main").append(second);
  });
  await own.page.waitForFunction(() => document.querySelectorAll("deskform-widget").length === 2 &&
    document.querySelectorAll("deskform-widget")[1].shadowRoot?.querySelector("input[value=login]"));
  assert.deepEqual(loaded, ["full"]);
  assert.deepEqual(await violations(own.page), []);
  assert.deepEqual(own.errors, []);
  await own.context.close();
});

test("a widget on the lean build that is given a catalog moves to the full build with the typed text", async () => {
  let loaded;
  const { context, page, errors } = await open("/fixtures/bare.html", { before: (page) => (loaded = trackBuilds(page)) });
  await page.waitForSelector(FORM, { timeout: 15_000 });
  await page.locator("deskform-widget").getByLabel("Subject").fill("Kept across builds");
  await page.evaluate(() => {
    const widget = document.querySelector("deskform-widget");
    widget.setAttribute("plan", "pro");
    widget.setAttribute("config-url", "/fixtures/catalog-custom.json");
  });
  await page.waitForSelector("deskform-widget input[value=billing]", { timeout: 15_000 });
  assert.deepEqual(await shadowDesks(page), [["general", "billing"]]);
  assert.equal(await page.locator("deskform-widget input[name=subject]").inputValue(), "Kept across builds");
  assert.equal(await formCount(page), 1);
  assert.deepEqual(loaded, ["lean", "full"]);
  assert.deepEqual(await events(page, "error"), []);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("no layout shift on a narrow screen either (the demo page and the element)", async () => {
  for (const path of ["/", "/examples/plain.html"]) {
    const { context, page } = await open(path, { viewport: { width: 400, height: 800 } });
    await page.waitForSelector(".deskform-form, deskform-widget .deskform-form", { timeout: 15_000 });
    await page.waitForTimeout(500);
    const shift = await page.evaluate(() => window.__shift);
    console.log(`# ${path} at 400 px: cumulative layout shift ${shift.toFixed(4)}`);
    assert.ok(shift < 0.01, `${path}: cumulative layout shift ${shift}`);
    await context.close();
  }
});

test("a hostile stylesheet (* { color: red; font: 40px serif } !important) does not reach inside", async () => {
  const look = async (path) => {
    const { context, page } = await open(path);
    await page.waitForSelector(FORM, { timeout: 15_000 });
    const style = await page.$eval("deskform-widget", (el) => {
      const pick = (selector) => {
        const node = el.shadowRoot.querySelector(selector);
        const s = getComputedStyle(node);
        return { fontSize: s.fontSize, color: s.color, fontFamily: s.fontFamily };
      };
      return { label: pick(".deskform-desk"), form: pick(".deskform-form") };
    });
    const page_ = await page.$eval("h1", (h) => getComputedStyle(h).color);
    await context.close();
    return { style, page: page_ };
  };
  const calm = await look("/fixtures/bare.html");
  const hostile = await look("/fixtures/hostile.html");
  assert.equal(hostile.page, "rgb(255, 0, 0)", "the hostile sheet applies to the host page");
  assert.deepEqual(hostile.style, calm.style);
  assert.notEqual(calm.style.label.fontSize, "40px");
});

test("the mount API: calls made before the wasm loads are queued and run in order", async () => {
  let release;
  const held = new Promise((ok) => (release = ok));
  const { context, page, errors } = await open("/fixtures/api.html", {
    before: (page) =>
      page.route("**/*.wasm", async (route) => {
        await held;
        await route.continue();
      }),
  });
  await page.waitForFunction(() => window.deskform?.mount);
  const early = await page.evaluate(() => {
    const host = document.querySelector("#host");
    let settled = false;
    window.deskform.ready.then(() => (settled = true));
    window.handle = window.deskform.mount(host, { plan: "free", locale: "en" });
    window.handle.update({ plan: "business", locale: "ja" });
    // A second mount of the same element updates it: never a second form.
    const again = window.deskform.mount(host, { plan: "business", locale: "ja" });
    const other = window.deskform.mount(document.querySelector("#other"), { plan: "free", locale: "en" });
    other.unmount();
    return { settled, same: again === window.handle, api: typeof window.handle.update + typeof window.handle.unmount };
  });
  assert.deepEqual(early, { settled: false, same: true, api: "functionfunction" });
  release();
  await page.evaluate(() => window.deskform.ready);
  await page.waitForSelector("#host .deskform-form", { timeout: 15_000 });
  assert.equal(await page.locator("#host .deskform").getAttribute("lang"), "ja", "the queued update ran");
  assert.equal(await page.locator("#host input[value=usage]").isDisabled(), false);
  assert.equal(await page.locator("#other .deskform-form").count(), 0, "the queued unmount ran");
  assert.equal(await formCount(page), 1);

  // After load: update keeps what was typed; unmount empties; mount again makes one form.
  await page.locator("#host").getByLabel("メールアドレス").fill("kept@example.com");
  await page.evaluate(() => window.handle.update({ plan: "business", locale: "en" }));
  await page.locator("#host .deskform[lang=en]").waitFor();
  assert.equal(await page.locator("#host").getByLabel("Email").inputValue(), "kept@example.com");
  await page.evaluate(() => window.handle.unmount());
  await page.waitForFunction(() => !document.querySelector("#host").shadowRoot?.querySelector(".deskform-form"));
  await page.evaluate(() => {
    window.handle = window.deskform.mount(document.querySelector("#host"), { plan: "free", locale: "vi" });
  });
  await page.locator("#host .deskform[lang=vi]").waitFor();
  assert.equal(await formCount(page), 1);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

// Yew 0.23 never removes an app's delegated listeners (dom_bundle/subtree_root.rs: "The
// registry is never dropped in production"): each new app left 4 on the page for good (76 → 476
// over 100 re-adds). The widget reuses the apps of unmounted widgets instead.
test("re-adding the element 100 times leaves one form and no growing listener count", async () => {
  const { context, page, errors } = await open("/fixtures/bare.html");
  await page.waitForSelector(FORM, { timeout: 15_000 });
  const cdp = await context.newCDPSession(page);
  const listeners = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    return (await cdp.send("Memory.getDOMCounters")).jsEventListeners;
  };
  const cycle = (times) =>
    page.evaluate(async (times) => {
      const main = document.querySelector("main");
      for (let i = 0; i < times; i += 1) {
        // As a single-page app re-renders: a new element replaces the old one.
        const widget = document.createElement("deskform-widget");
        widget.setAttribute("plan", "business");
        widget.setAttribute("locale", "en");
        main.querySelector("deskform-widget").replaceWith(widget);
        await new Promise((ok) => setTimeout(ok, 0));
      }
    }, times);
  await cycle(10);
  await page.waitForSelector(FORM);
  const before = await listeners();
  await cycle(100);
  await page.waitForSelector(FORM);
  await page.waitForTimeout(200);
  const after = await listeners();
  assert.equal(await formCount(page), 1);
  assert.equal(await page.locator("deskform-widget").count(), 1);
  assert.deepEqual(errors, []);
  assert.ok(after - before <= 5, `event listeners grew from ${before} to ${after} over 100 re-adds`);
  await context.close();
});

test("an element re-added in place of another starts a new form: nothing of the widget before it", async () => {
  const { context, page, errors } = await open("/fixtures/bare.html");
  await page.waitForSelector(FORM, { timeout: 15_000 });
  const replace = (key) =>
    page.evaluate(async (key) => {
      const widget = document.createElement("deskform-widget");
      widget.setAttribute("plan", "business");
      widget.setAttribute("locale", "en");
      widget.setAttribute("draft-key", key);
      document.querySelector("deskform-widget").replaceWith(widget);
      await new Promise((ok) => setTimeout(ok, 50));
    }, key);
  await replace("first");
  const widget = page.locator("deskform-widget");
  await widget.locator("input[type=radio][value=usage]").check();
  await widget.getByLabel("Subject").fill("Typed in the first");
  await widget.getByLabel("Email").fill("first@example.com");
  // The first widget's app waits once it is gone, and serves the widget after next.
  await replace("second");
  await replace("third");
  await page.waitForSelector(FORM);
  assert.equal(await widget.getByLabel("Subject").inputValue(), "");
  assert.equal(await widget.getByLabel("Email").inputValue(), "");
  assert.equal(await widget.locator("input[type=radio]:checked").count(), 0);
  assert.equal(await formCount(page), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an element moved within the page keeps its form and what was typed", async () => {
  const { context, page, errors } = await open("/fixtures/bare.html");
  await page.waitForSelector(FORM, { timeout: 15_000 });
  await page.locator("deskform-widget").getByLabel("Email").fill("moved@example.com");
  await page.evaluate(() => {
    const widget = document.querySelector("deskform-widget");
    window.__form = widget.shadowRoot.querySelector(".deskform-form");
    const aside = document.createElement("aside");
    document.body.append(aside);
    aside.append(widget);
  });
  await page.waitForTimeout(100);
  const same = await page.evaluate(
    () => document.querySelector("aside deskform-widget").shadowRoot.querySelector(".deskform-form") === window.__form,
  );
  assert.equal(same, true, "the very same form, not a new one");
  assert.equal(await page.locator("aside deskform-widget").getByLabel("Email").inputValue(), "moved@example.com");
  assert.equal(await formCount(page), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("attributes follow: changing one updates the widget with the typed text kept", async () => {
  const { context, page } = await open("/fixtures/bare.html");
  await page.waitForSelector(FORM, { timeout: 15_000 });
  await page.locator("deskform-widget").getByLabel("Subject").fill("Kept");
  await page.evaluate(() => document.querySelector("deskform-widget").setAttribute("locale", "vi"));
  await page.locator("deskform-widget .deskform[lang=vi]").waitFor();
  assert.equal(await page.locator("deskform-widget input[name=subject]").inputValue(), "Kept");
  await context.close();
});

test("every event, on the element, bubbling and composed, with its detail and never the text", async () => {
  const { context, page, errors } = await open("/examples/plain.html");
  await page.waitForSelector(FORM, { timeout: 15_000 });
  await page.waitForFunction(() => window.__events.some((e) => e.type === "deskform:ready"));
  const [ready] = await events(page, "ready");
  assert.equal(ready.target, "deskform-widget");
  assert.equal(ready.bubbles && ready.composed, true);
  assert.equal(ready.detail.locale, "en");
  // Signed out: every desk of the catalog, the paid one not available.
  assert.deepEqual(ready.detail.desks, [
    { id: "login", available: true },
    { id: "usage", available: false },
  ]);

  const widget = page.locator("deskform-widget");
  await widget.locator("input[value=login]").check();
  await widget.getByTestId("reply-date").waitFor();
  const { iso } = await replyDate(widget);
  const [change] = await events(page, "desk-change");
  assert.deepEqual(change.detail, { desk: "login", dueDate: iso });
  assert.match(iso, /^\d{4}-\d{2}-\d{2}$/);

  await widget.getByLabel("Email").fill("secret-person@example.com");
  await widget.getByLabel("Subject").fill("Cannot sign in");
  await widget.getByLabel("Message").fill("A very private message text");
  await widget.getByRole("button", { name: "Send" }).click();
  await widget.getByTestId("ticket-id").waitFor({ timeout: 20_000 });
  const ticket = (await widget.getByTestId("ticket-id").innerText()).trim();
  await page.waitForFunction(() => window.__events.some((e) => e.type === "deskform:sent"));
  const [submit] = await events(page, "submit");
  assert.deepEqual(submit.detail, { desk: "login" });
  const [sent] = await events(page, "sent");
  assert.deepEqual(sent.detail, { ticketId: ticket, desk: "login", dueDate: iso });
  const all = JSON.stringify(await events(page));
  assert.doesNotMatch(all, /secret-person|private message/, "no customer text in any event");
  for (const event of await events(page)) assert.equal(event.bubbles && event.composed, true, event.type);
  assert.deepEqual(errors, []);
  await context.close();
});

test("deskform:error says what failed: a catalog that is not JSON", async () => {
  const { context, page } = await open("/fixtures/api.html");
  await page.evaluate(() =>
    window.deskform.mount(document.querySelector("#host"), { configUrl: "/fixtures/not-json.json", plan: "free" }),
  );
  await page.waitForFunction(() => window.__events.some((e) => e.type === "deskform:error"), null, { timeout: 15_000 });
  const [error] = await events(page, "error");
  assert.equal(error.detail.kind, "catalog");
  assert.equal(typeof error.detail.message, "string");
  assert.equal(error.target, "host");
  await context.close();
});

test("prefill fills the form, and never overrides a signed-in identity", async () => {
  const { context, page } = await open("/fixtures/api.html");
  const prefill = { desk: "login", subject: "Reset mail", message: "It never came.", email: "pre@example.com", name: "Pre Fill" };
  await page.evaluate(
    (prefill) => window.deskform.mount(document.querySelector("#host"), { plan: "business", locale: "en", prefill }),
    prefill,
  );
  const host = page.locator("#host");
  await host.locator(".deskform-form").waitFor({ timeout: 15_000 });
  assert.equal(await host.locator("input[value=login]").isChecked(), true);
  assert.equal(await host.getByLabel("Subject").inputValue(), "Reset mail");
  assert.equal(await host.getByLabel("Message").inputValue(), "It never came.");
  assert.equal(await host.getByLabel("Email").inputValue(), "pre@example.com");

  // The element takes it as a property, set before it is added.
  await page.evaluate(() => {
    const widget = document.createElement("deskform-widget");
    widget.setAttribute("plan", "business");
    widget.setAttribute("draft-key", "element-prefill");
    widget.prefill = { desk: "usage", subject: "From the property" };
    document.querySelector("#other").append(widget);
  });
  const element = page.locator("#other deskform-widget");
  await element.locator(".deskform-form").waitFor({ timeout: 15_000 });
  assert.equal(await element.locator("input[value=usage]").isChecked(), true);
  assert.equal(await element.getByLabel("Subject").inputValue(), "From the property");

  // Signed in (the demo receiver's session): the account's email stands.
  await page.request.post(`${env.server.url}/demo/sign-in`, { form: { plan: "business", lang: "en" } });
  await page.reload();
  await page.evaluate(
    (prefill) =>
      window.deskform.mount(document.querySelector("#host"), { sessionUrl: "/api/session", locale: "en", prefill }),
    prefill,
  );
  await host.locator(".deskform-form").waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => window.__events.some((e) => e.type === "deskform:ready"));
  const email = host.getByLabel("Email");
  await page.waitForFunction(
    () => document.querySelector("#host").shadowRoot?.querySelector("input[name=email]")?.value !== "",
  );
  assert.notEqual(await email.inputValue(), "pre@example.com");
  assert.equal(await host.getByLabel("Subject").inputValue(), "Reset mail");
  await context.close();
});

test("the wasm cannot load: the element shows the support email, and ready rejects", async () => {
  const { context, page } = await open("/examples/plain.html", {
    before: (page) => page.route("**/*.wasm", (route) => route.abort()),
  });
  const link = page.locator("deskform-widget a[href='mailto:support@example.com']");
  await link.waitFor({ timeout: 15_000 });
  assert.match(await page.locator("deskform-widget").innerText(), /could not load/);
  assert.equal(await page.locator("deskform-widget").getAttribute("data-failed"), "");
  const rejected = await page.evaluate(() => window.deskform.ready.then(() => false, () => true));
  assert.equal(rejected, true);
  // An element added later, in Japanese, without an address: told in its language.
  await page.evaluate(() => {
    const widget = document.createElement("deskform-widget");
    widget.setAttribute("locale", "ja");
    widget.id = "late";
    document.querySelector("main").append(widget);
  });
  assert.match(await page.locator("#late").innerText(), /お問い合わせフォームを読み込めませんでした。ページを再読み込み/);
  assert.deepEqual(await violations(page), []);
  await context.close();
});

test("the wasm cannot load: a widget mounted through the API hears deskform:error (load)", async () => {
  let release;
  const held = new Promise((ok) => (release = ok));
  const { context, page } = await open("/fixtures/api.html", {
    before: (page) =>
      page.route("**/*.wasm", async (route) => {
        await held;
        await route.abort();
      }),
  });
  await page.waitForFunction(() => window.deskform?.mount);
  await page.evaluate(() => window.deskform.mount(document.querySelector("#host"), { plan: "free" }));
  release();
  await page.waitForFunction(() => window.__events.some((e) => e.type === "deskform:error"), null, { timeout: 15_000 });
  const [error] = await events(page, "error");
  assert.equal(error.detail.kind, "load");
  assert.equal(error.target, "host");
  // Later calls are harmless: no queue grows, nothing throws.
  const handle = await page.evaluate(() => {
    const handle = window.deskform.mount(document.querySelector("#other"), {});
    handle.update({ locale: "ja" });
    handle.unmount();
    return typeof handle.update;
  });
  assert.equal(handle, "function");
  await context.close();
});

test("dark mode: the dark palette under theme=auto passes axe (contrast included)", async () => {
  const { context, page, errors } = await open("/examples/plain.html", { colorScheme: "dark" });
  await page.waitForSelector(FORM, { timeout: 15_000 });
  await page.locator("deskform-widget input[value=login]").check();
  await page.locator("deskform-widget").getByTestId("reply-date").waitFor();
  const surface = await page.$eval("deskform-widget", (el) => getComputedStyle(el.shadowRoot.querySelector(".deskform")).color);
  const light = await (async () => {
    const other = await open("/examples/plain.html");
    await other.page.waitForSelector(FORM, { timeout: 15_000 });
    const color = await other.page.$eval("deskform-widget", (el) => getComputedStyle(el.shadowRoot.querySelector(".deskform")).color);
    await other.context.close();
    return color;
  })();
  assert.notEqual(surface, light, "the dark palette is in use");
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  // Last: axe (on the shadow root's contrast) and Playwright's screenshot (hiding the caret)
  // add style elements of their own, which the page's CSP reports.
  assert.deepEqual(await axe(page), []);
  await screenshot(page, "embedding-dark");
  await context.close();
});

test("the router example: leaving the contact route unmounts, coming back mounts one form", async () => {
  const { context, page, errors } = await open("/examples/router.html#/contact");
  await page.waitForSelector("#contact-form .deskform-form", { timeout: 15_000 });
  await page.getByRole("link", { name: "Home" }).click();
  await page.getByRole("heading", { name: "Home" }).waitFor();
  assert.equal(await formCount(page), 0);
  await page.getByRole("link", { name: "Contact" }).click();
  await page.waitForSelector("#contact-form .deskform-form");
  assert.equal(await formCount(page), 1);
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the nonce example: script-src with a nonce only, and the loader still starts the widget", async () => {
  const { context, page, errors } = await open("/examples/nonce.html");
  const response = await page.request.get(`${env.server.url}/examples/nonce.html`);
  assert.match(response.headers()["content-security-policy"], /script-src 'nonce-[^']+' 'wasm-unsafe-eval'/);
  await page.waitForSelector(FORM, { timeout: 15_000 });
  assert.deepEqual(await violations(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});
