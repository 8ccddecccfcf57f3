// The desks each visitor sees on the demo page, built for release: by default only the desks
// their plan allows, and one line on how to get more; with data-locked-desks="show", the others
// too, disabled, with the reason.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chooseDesk, desks, moreDesks, openWidget, screenshot, useBrowser } from "../lib/harness.mjs";

const env = useBrowser();

const signIn = { id: "usage", enabled: false, lock: "Sign in to use this desk.", link: "/signin" };
const login = { id: "login", enabled: true, lock: null, link: null };
const usage = { id: "usage", enabled: true, lock: null, link: null };
const signInForMore = { text: "Sign in to see every desk for your plan. Sign in", link: "/signin" };
const payForMore = { text: "More desks come with a paid plan. See the plans", link: "/pricing" };

const cases = [
  ["signed out", undefined, [login], signInForMore, [login, signIn]],
  [
    "free",
    "free",
    [login],
    payForMore,
    [login, { id: "usage", enabled: false, lock: "Available on paid plans.", link: "/pricing" }],
  ],
  ["personal (legacy)", "personal", [login, usage], null, [login, usage]],
  ["business", "business", [login, usage], null, [login, usage]],
  ["enterprise", "enterprise", [login, usage], null, [login, usage]],
];

for (const [name, plan, hidden, more, shown] of cases) {
  test(`desks for ${name}: only the plan's by default`, async () => {
    const { context, page, errors } = await openWidget(env, { plan, lang: "en" });
    assert.deepEqual(await desks(page), hidden);
    assert.deepEqual(await moreDesks(page), more);
    if (more) {
      // Not a choice, nor named anywhere in the form.
      assert.equal(await page.locator("input[value=usage]").count(), 0);
      assert.doesNotMatch(await page.locator(".deskform").innerText(), /Using the product/);
    }
    assert.deepEqual(errors, []);
    await screenshot(page, `desks-${plan ?? "signed-out"}`);
    await context.close();
  });

  test(`desks for ${name}, data-locked-desks="show": the others disabled, with the reason`, async () => {
    const { context, page, errors } = await openWidget(env, { plan, lang: "en", lockedDesks: "show" });
    assert.deepEqual(await desks(page), shown);
    assert.equal(await moreDesks(page), null);
    assert.deepEqual(errors, []);
    if (more) await screenshot(page, `desks-${plan ?? "signed-out"}-show`);
    await context.close();
  });
}

test("the line on how to get more desks, in Japanese and Vietnamese", async () => {
  for (const [lang, plan, expected] of [
    ["ja", undefined, { text: "ご利用のプランの窓口をすべて表示するには、ログインしてください。ログイン", link: "/signin" }],
    ["ja", "free", { text: "有料プランでご利用いただける窓口もあります。プランを見る", link: "/pricing" }],
    ["vi", undefined, { text: "Hãy đăng nhập để xem mọi bộ phận dành cho gói của bạn. Đăng nhập", link: "/signin" }],
    ["vi", "free", { text: "Có thêm bộ phận dành cho các gói trả phí. Xem các gói", link: "/pricing" }],
  ]) {
    const { context, page } = await openWidget(env, { plan, lang });
    assert.deepEqual(await moreDesks(page), expected, `${lang} ${plan}`);
    await context.close();
  }
});

test("an unknown plan shows the signed-out view and names the bad value in the console", async () => {
  const { context, page, errors } = await openWidget(env, { plan: "gold", lang: "en" });
  assert.deepEqual(await desks(page), [login]);
  assert.deepEqual(await moreDesks(page), signInForMore);
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.match(errors[0], /data-plan: unknown plan "gold"; valid plans: free, personal, business, enterprise/);
  await context.close();
});

test('data-locked-desks="show": a locked desk cannot be chosen, even by clicking its label', async () => {
  const { context, page } = await openWidget(env, { plan: "free", lang: "en", lockedDesks: "show" });
  // Playwright refuses to click a disabled control; force the click as a stubborn visitor would.
  await page.getByText("Using the product", { exact: true }).click({ force: true });
  await page.locator("input[value=usage]").click({ force: true });
  assert.equal(await page.locator("input[value=usage]").isChecked(), false);
  assert.equal(await page.getByTestId("reply-date").count(), 0);
  await context.close();
});

test("a data-locked-desks that is neither hide nor show: the console names it and the default, hide, is used", async () => {
  const { context, page, errors } = await openWidget(env, { plan: "free", lang: "en", lockedDesks: "disabled" });
  assert.deepEqual(await desks(page), [login]);
  assert.deepEqual(await moreDesks(page), payForMore);
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.match(errors[0], /^deskform: data-locked-desks: "disabled": expected hide or show; using the default, hide$/);
  await context.close();
});

test("the widget follows a change of data-locked-desks and keeps what was typed", async () => {
  const { context, page, errors } = await openWidget(env, { plan: "free", lang: "en" });
  const mount = page.locator("[data-deskform]");
  await chooseDesk(page, "Trouble signing in");
  await page.getByLabel("Message").fill("Typed before the page changed its mind");
  await mount.evaluate((element) => element.setAttribute("data-locked-desks", "show"));
  await page.locator("input[value=usage][disabled]").waitFor();
  assert.equal(await moreDesks(page), null);
  assert.equal(await page.locator("input[value=login]").isChecked(), true);
  assert.equal(await page.getByLabel("Message").inputValue(), "Typed before the page changed its mind");
  await mount.evaluate((element) => element.removeAttribute("data-locked-desks"));
  await page.locator(".deskform-more-desks").waitFor();
  assert.equal(await page.locator("input[value=usage]").count(), 0);
  assert.equal(await page.locator("input[value=login]").isChecked(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a draft for a desk the plan no longer allows keeps its text, not the desk", async () => {
  const { context, page } = await openWidget(env, { plan: "business", lang: "en" });
  await chooseDesk(page, "Using the product");
  await page.getByLabel("Message").fill("Written on the business plan");
  await page.waitForFunction(() =>
    Object.keys(localStorage).some((k) => localStorage.getItem(k).includes("Written on the business plan")),
  );
  // The same page again, now on the free plan: the paid desk is hidden.
  await page.goto(page.url().replace("plan=business", "plan=free"));
  await page.waitForSelector(".deskform-form");
  assert.deepEqual(await desks(page), [login]);
  assert.equal(await page.locator("input[value=login]").isChecked(), false);
  assert.equal(await page.getByLabel("Message").inputValue(), "Written on the business plan");
  assert.equal(await page.getByTestId("reply-date").count(), 0);
  await context.close();
});
