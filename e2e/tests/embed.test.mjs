// A host page with two widgets: each mounts, keeps its own ids, state and draft.
import { test } from "node:test";
import assert from "node:assert/strict";
import AxeBuilder from "@axe-core/playwright";
import { screenshot, useBrowser } from "../lib/harness.mjs";

const env = useBrowser();

test("every [data-deskform] element gets its own widget", async () => {
  const context = await env.browser.newContext({ timezoneId: "Asia/Tokyo", locale: "en-US" });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  await page.goto(`${env.server.url}/two-widgets.html`);
  await page.waitForFunction(() => document.querySelectorAll(".deskform-form").length === 2);
  const main = page.locator("#main-form");
  const side = page.locator("#side-form");

  assert.equal(await main.locator(".deskform").getAttribute("lang"), "ja");
  assert.equal(await side.locator(".deskform").getAttribute("lang"), "en");
  assert.doesNotMatch(await side.innerText(), /Loading…/, "the host's fallback content gives way");
  // The business plan opens both desks in the first; the second is signed out.
  assert.equal(await main.locator("input[value=usage]").isDisabled(), false);
  assert.equal(await side.locator("input[value=usage]").isDisabled(), true);

  const ids = await page.$$eval("[id]", (nodes) => nodes.map((n) => n.id));
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], "no id is used twice");

  await main.locator("input[value=usage]").check();
  assert.equal(await main.getByTestId("reply-date").count(), 1);
  assert.equal(await side.getByTestId("reply-date").count(), 0, "choosing in one leaves the other alone");
  assert.equal(await side.locator("input[value=login]").isChecked(), false);

  await side.getByLabel("Email").fill("side@example.com");
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll(".deskform-form").length === 2);
  assert.equal(await page.locator("#side-form").getByLabel("Email").inputValue(), "side@example.com");
  assert.equal(await page.locator("#main-form").getByLabel("メールアドレス").inputValue(), "");
  assert.equal(await page.locator("#main-form input[value=usage]").isChecked(), true);

  const axe = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), []);
  assert.deepEqual(errors, []);
  await screenshot(page, "two-widgets");
  await context.close();
});
