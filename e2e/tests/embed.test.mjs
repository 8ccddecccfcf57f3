// A host page with two widgets: each mounts, keeps its own ids, state and draft.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axe, desks, moreDesks, openWidget, screenshot, useBrowser } from "../lib/harness.mjs";

const env = useBrowser();

test("every [data-deskform] element gets its own widget", async () => {
  const { context, page, errors } = await openWidget(env, { path: "/two-widgets.html" });
  await page.waitForFunction(() => document.querySelectorAll(".deskform-form").length === 2);
  const main = page.locator("#main-form");
  const side = page.locator("#side-form");

  assert.equal(await main.locator(".deskform").getAttribute("lang"), "ja");
  assert.equal(await side.locator(".deskform").getAttribute("lang"), "en");
  assert.doesNotMatch(await side.innerText(), /Loading…/, "the host's fallback content gives way");
  // The business plan opens both desks in the first; the second is signed out: not offered.
  assert.equal(await main.locator("input[value=usage]").isDisabled(), false);
  assert.equal(await side.locator("input[value=usage]").count(), 0);
  assert.equal(await side.locator(".deskform-more-desks").count(), 1);

  const ids = await page.$$eval("[id]", (nodes) => nodes.map((n) => n.id));
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], "no id is used twice");

  await main.locator("input[value=usage]").check();
  await main.getByTestId("reply-date").waitFor();
  assert.equal(await side.getByTestId("reply-date").count(), 0, "choosing in one leaves the other alone");
  assert.equal(await side.locator("input[value=login]").isChecked(), false);

  await side.getByLabel("Email").fill("side@example.com");
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll(".deskform-form").length === 2);
  assert.equal(await page.locator("#side-form").getByLabel("Email").inputValue(), "side@example.com");
  assert.equal(await page.locator("#main-form").getByLabel("メールアドレス").inputValue(), "");
  assert.equal(await page.locator("#main-form input[value=usage]").isChecked(), true);

  assert.deepEqual(await axe(page), []);
  assert.deepEqual(errors, []);
  await screenshot(page, "two-widgets");
  await context.close();
});

test("the widget follows the page's attribute changes and keeps what was typed", async () => {
  const { context, page, errors } = await openWidget(env, { lang: "en" });
  const mount = page.locator("[data-deskform]");
  const setAttribute = (name, value) =>
    mount.evaluate((element, [name, value]) => element.setAttribute(name, value), [name, value]);
  await page.getByLabel("Email").fill("later@example.com");
  await page.getByLabel("Message").fill("Written before signing in");

  // The host signs the visitor in without a reload.
  await setAttribute("data-plan", "business");
  await page.waitForSelector("input[value=usage]:not([disabled])");
  assert.equal(await page.getByLabel("Email").inputValue(), "later@example.com");
  assert.equal(await page.getByLabel("Message").inputValue(), "Written before signing in");
  await page.getByLabel("Using the product", { exact: true }).check();
  await page.getByTestId("reply-date").waitFor();

  await setAttribute("data-locale", "ja");
  await page.waitForFunction(() => document.querySelector(".deskform").lang === "ja");
  assert.equal(await page.getByLabel("メールアドレス").inputValue(), "later@example.com");
  assert.equal(await page.locator("input[value=usage]").isChecked(), true);

  // A plan the catalog does not know hides the paid desk again, and says why in the console.
  await setAttribute("data-plan", "gold");
  await page.waitForFunction(() => !document.querySelector("input[value=usage]"));
  assert.equal(await page.locator(".deskform-desks input:checked").count(), 0);
  assert.match(errors.join("\n"), /data-plan: unknown plan "gold"/);

  // A language the widget does not speak: the console names it, the browser's language is used.
  await setAttribute("data-locale", "fr");
  await page.waitForFunction(() => document.querySelector(".deskform").lang === "en");
  assert.match(errors.join("\n"), /data-locale: unknown locale "fr"; valid locales: en, ja, vi/);
  assert.equal(await page.getByLabel("Email").inputValue(), "later@example.com");

  await setAttribute("data-config-url", "/fixtures/catalog-custom.json");
  await page.waitForSelector("input[value=general]");
  // Still signed out (the plan "gold" is unknown): billing is not offered.
  assert.deepEqual((await desks(page)).map((d) => d.id), ["general"]);
  assert.deepEqual(await moreDesks(page), { text: "Sign in to see every desk for your plan. Sign in", link: "/login" });
  assert.equal(await page.getByLabel("Message").inputValue(), "Written before signing in");
  await context.close();
});

test("a widget added after load mounts with window.deskform.mount()", async () => {
  const { context, page, errors } = await openWidget(env, { plan: "business", lang: "en" });
  await page.evaluate(() => {
    const later = document.createElement("div");
    later.id = "later";
    later.setAttribute("data-deskform", "");
    later.setAttribute("data-locale", "vi");
    document.querySelector("main").append(later);
    window.deskform.mount();
    window.deskform.mount(); // twice is harmless
  });
  await page.waitForFunction(() => document.querySelectorAll(".deskform-form").length === 2);
  assert.equal(await page.locator("#later .deskform").getAttribute("lang"), "vi");
  assert.equal(await page.locator(".deskform").count(), 2);
  assert.deepEqual(errors, []);
  await context.close();
});
