// The form as a person uses it: keyboard only, the draft across a reload, problems per field,
// a submit that says plainly nothing was sent, and an axe scan of every state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axe, chooseDesk, openWidget, replyDate, screenshot, useBrowser } from "../lib/harness.mjs";

const env = useBrowser();

const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el.tagName.toLowerCase(), name: el.getAttribute("name"), value: el.getAttribute("value") };
  });

/**
 * Waits until the field named `name` has the focus (the widget moves it as it answers a press:
 * read it at once and a busy machine may not be there yet); fails naming what has it instead.
 */
async function focusReaches(page, name) {
  const reached = await page
    .waitForFunction((name) => document.activeElement?.getAttribute("name") === name, name, { timeout: 10_000 })
    .then(() => true, () => false);
  if (!reached) assert.equal((await focused(page)).name, name, "focus");
}

test("keyboard only: Tab to the desks, arrows and Space to choose, Tab through every field", async () => {
  const { context, page } = await openWidget(env, { plan: "business", lang: "en" });
  // From the top of the page, Tab until focus reaches the desks.
  let steps = 0;
  while ((await focused(page)).name !== "deskform-0-desk") {
    await page.keyboard.press("Tab");
    assert.ok(++steps < 20, "the desks are reachable with Tab");
  }
  assert.equal((await focused(page)).value, "login");
  await page.keyboard.press("Space");
  assert.equal(await page.locator("input[value=login]").isChecked(), true);
  await page.keyboard.press("ArrowDown");
  assert.equal((await focused(page)).value, "usage");
  assert.equal(await page.locator("input[value=usage]").isChecked(), true);
  assert.equal((await replyDate(page)).iso.length, 10);

  for (const [field, text] of [
    ["email", "an@example.com"],
    ["name", "An Nguyen"],
    ["subject", "Export to PDF"],
    ["message", "How do I export a note to PDF?"],
  ]) {
    await page.keyboard.press("Tab");
    assert.equal((await focused(page)).name, field);
    await page.keyboard.type(text);
  }
  await page.keyboard.press("Tab");
  assert.equal((await focused(page)).tag, "button");
  await screenshot(page, "keyboard-filled-business");
  await context.close();
});

test("with only one desk open and the others shown locked, the arrows never land on a locked desk", async () => {
  const { context, page } = await openWidget(env, { lang: "en", lockedDesks: "show" });
  await page.locator("input[value=login]").focus();
  await page.keyboard.press("ArrowDown");
  assert.equal((await focused(page)).value, "login");
  assert.equal(await page.locator("input[value=usage]").isChecked(), false);
  await context.close();
});

test("the draft survives a reload", async () => {
  const { context, page } = await openWidget(env, { plan: "personal", lang: "en" });
  await chooseDesk(page, "Using the product");
  await page.getByLabel("Email").fill("keep@example.com");
  await page.getByLabel("Message").fill("Line one\nLine two, with 日本語 and tiếng Việt");
  await page.reload();
  await page.waitForSelector(".deskform-form");
  assert.equal(await page.locator("input[value=usage]").isChecked(), true);
  assert.equal(await page.getByLabel("Email").inputValue(), "keep@example.com");
  assert.equal(await page.getByLabel("Message").inputValue(), "Line one\nLine two, with 日本語 and tiếng Việt");
  await context.close();
});

test("problems are shown per field, tied to it, and focus goes to the first", async () => {
  const { context, page, errors } = await openWidget(env, { plan: "business", lang: "en" });
  await chooseDesk(page, "Trouble signing in");
  await page.getByLabel("Email").fill("not-an-address");
  await page.getByLabel("Subject").fill("x".repeat(151));
  await page.getByRole("button", { name: "Send" }).click();
  const email = page.getByLabel("Email");
  await focusReaches(page, "email");
  await page.locator("input[name=email][aria-invalid=true]").waitFor();
  const describedBy = (await email.getAttribute("aria-describedby")).split(" ");
  const errorText = await page.locator(`#${describedBy.at(-1)}`).innerText();
  assert.equal(errorText, "Please enter an email address, like name@example.com.");
  assert.match(await page.locator("#deskform-0-subject-error").innerText(), /shorten this to 150 characters; it has 151/);
  assert.equal(await page.getByLabel("Subject").inputValue(), "x".repeat(151), "nothing typed is cut");
  await page.locator(".deskform-outcome", { hasText: /^Please correct 3 fields\.$/ }).waitFor();
  assert.deepEqual(await axe(page), []);
  await screenshot(page, "form-problems");
  assert.deepEqual(errors, []);
  await context.close();
});

test("without a receiver, a complete form is not sent, says so, and makes no request", async () => {
  const { context, page } = await openWidget(env, { plan: "business", lang: "en", path: "/no-receiver.html" });
  const requests = [];
  page.on("request", (request) => requests.push(request.url()));
  await chooseDesk(page, "Using the product");
  await page.getByLabel("Email").fill("an@example.com");
  await page.getByLabel("Subject").fill("Export");
  await page.getByLabel("Message").fill("How do I export?");
  await page.getByRole("button", { name: "Send" }).click();
  await page.locator(".deskform-outcome", { hasText: /was not sent, because sending is not set up/ }).waitFor();
  assert.doesNotMatch(await page.locator(".deskform").innerText(), /ticket/i);
  assert.deepEqual(requests, []);
  assert.equal(await page.getByLabel("Message").inputValue(), "How do I export?");
  await screenshot(page, "form-not-sent");
  await context.close();
});

for (const [name, options] of [
  ["signed out, English", { lang: "en" }],
  ["signed out, locked desks shown, English", { lang: "en", lockedDesks: "show" }],
  ["business with a reply date, Vietnamese", { plan: "business", lang: "vi", desk: "Thắc mắc về sử dụng/chức năng" }],
  ["free, Japanese", { plan: "free", lang: "ja", desk: "ログインできない" }],
]) {
  test(`axe finds no violations: ${name}`, async () => {
    const { context, page } = await openWidget(env, options);
    if (options.desk) await page.getByLabel(options.desk, { exact: true }).check();
    assert.deepEqual(await axe(page), []);
    await context.close();
  });
}

test("a phone-sized screen", async () => {
  const { context, page } = await openWidget(env, {
    plan: "free",
    lang: "vi",
    viewport: { width: 390, height: 844 },
    time: "2026-11-26T23:30:00+07:00",
    timezoneId: "Asia/Ho_Chi_Minh",
  });
  await page.getByLabel("Thắc mắc về đăng nhập", { exact: true }).check();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px too wide)`);
  await screenshot(page, "phone-vi-free");
  await context.close();
});
