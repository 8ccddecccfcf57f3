// Reply dates under fixed clocks: the desk's day is Tokyo's, whatever the browser's zone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chooseDesk, openWidget, replyDate, screenshot, useBrowser } from "../lib/harness.mjs";

const env = useBrowser();

test("Vietnam, Thursday 23:30: already Friday in Tokyo, usage due Monday 30 November", async () => {
  const { context, page, errors } = await openWidget(env, {
    plan: "business",
    lang: "en",
    timezoneId: "Asia/Ho_Chi_Minh",
    locale: "en-GB",
    time: "2026-11-26T23:30:00+07:00",
  });
  await chooseDesk(page, "Using the product");
  assert.deepEqual(await replyDate(page), { iso: "2026-11-30", text: "Monday, 30 November 2026" });
  const region = page.locator(".deskform-reply");
  assert.equal(await region.getAttribute("aria-live"), "polite");
  const text = await region.innerText();
  assert.match(text, /Within 1 business day; weekends and Japanese public holidays excluded\./);
  assert.match(text, /Sat 28 Nov — weekend/);
  assert.match(text, /Sun 29 Nov — weekend/);
  assert.match(text, /It is already Friday, 27 November 2026 at the support desk \(Japan/);
  assert.deepEqual(errors, []);
  await screenshot(page, "reply-date-vietnam-thursday-night");
  await context.close();
});

test("Auckland, Monday 02:00: still Sunday in Tokyo, usage due Monday 30 November", async () => {
  const { context, page } = await openWidget(env, {
    plan: "business",
    lang: "en",
    timezoneId: "Pacific/Auckland",
    locale: "en-NZ",
    time: "2026-11-30T02:00:00+13:00",
  });
  await chooseDesk(page, "Using the product");
  assert.equal((await replyDate(page)).iso, "2026-11-30");
  assert.match(await page.locator(".deskform-desk-day").innerText(), /^It is still Sunday, 29 November 2026 at the support desk/);
  await screenshot(page, "reply-date-auckland-monday-morning");
  await context.close();
});

const tokyo = [
  ["Monday 23:00 in Tokyo → Tuesday", "2026-11-30T23:00:00+09:00", "Using the product", "2026-12-01"],
  ["received on Saturday, 1 business day → Monday", "2026-11-28T10:00:00+09:00", "Using the product", "2026-11-30"],
  ["Friday before Labour Thanksgiving Day, 2 business days → Wednesday", "2026-11-20T18:00:00+09:00", "Trouble signing in", "2026-11-25"],
  ["Golden Week: Friday 1 May 2026 → Thursday 7 May", "2026-05-01T12:00:00+09:00", "Using the product", "2026-05-07"],
];

for (const [name, time, desk, due] of tokyo) {
  test(name, async () => {
    const { context, page } = await openWidget(env, { plan: "enterprise", lang: "en", time });
    await chooseDesk(page, desk);
    assert.equal((await replyDate(page)).iso, due);
    assert.equal(await page.locator(".deskform-desk-day").count(), 0, "same day in Tokyo and the browser");
    await context.close();
  });
}

test("the skipped holidays are named", async () => {
  const { context, page } = await openWidget(env, { lang: "en", time: "2026-11-20T18:00:00+09:00" });
  await chooseDesk(page, "Trouble signing in");
  const skipped = await page.locator(".deskform-skipped li").allInnerTexts();
  assert.deepEqual(skipped, ["Sat, Nov 21 — weekend", "Sun, Nov 22 — weekend", "Mon, Nov 23 — Labour Thanksgiving Day"]);
  await context.close();
});

test("the date moves on by itself at the desk's midnight", async () => {
  const { context, page } = await openWidget(env, {
    plan: "business",
    lang: "en",
    time: "2026-11-26T23:59:00+09:00",
  });
  await chooseDesk(page, "Using the product");
  assert.equal((await replyDate(page)).iso, "2026-11-27");
  await page.clock.runFor(90_000);
  await page.waitForFunction(() => document.querySelector("[data-testid=reply-date]")?.getAttribute("datetime") === "2026-11-30");
  await context.close();
});
