// The desks each visitor sees on the demo page, built for release.
import { test } from "node:test";
import assert from "node:assert/strict";
import { desks, openWidget, screenshot, useBrowser } from "../lib/harness.mjs";

const env = useBrowser();

const signIn = { id: "usage", enabled: false, lock: "Sign in to use this desk.", link: "/signin" };
const login = { id: "login", enabled: true, lock: null, link: null };
const usage = { id: "usage", enabled: true, lock: null, link: null };

const cases = [
  ["signed out", undefined, [login, signIn]],
  ["free", "free", [login, { id: "usage", enabled: false, lock: "Available on paid plans.", link: "/pricing" }]],
  ["personal (legacy)", "personal", [login, usage]],
  ["business", "business", [login, usage]],
  ["enterprise", "enterprise", [login, usage]],
];

for (const [name, plan, expected] of cases) {
  test(`desks for ${name}`, async () => {
    const { context, page, errors } = await openWidget(env, { plan, lang: "en" });
    assert.deepEqual(await desks(page), expected);
    assert.deepEqual(errors, []);
    await screenshot(page, `desks-${plan ?? "signed-out"}`);
    await context.close();
  });
}

test("an unknown plan shows the signed-out view and names the bad value in the console", async () => {
  const { context, page, errors } = await openWidget(env, { plan: "gold", lang: "en" });
  assert.deepEqual(await desks(page), [login, signIn]);
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.match(errors[0], /data-plan: unknown plan "gold"; valid plans: free, personal, business, enterprise/);
  await context.close();
});

test("a locked desk cannot be chosen, even by clicking its label", async () => {
  const { context, page } = await openWidget(env, { plan: "free", lang: "en" });
  // Playwright refuses to click a disabled control; force the click as a stubborn visitor would.
  await page.getByText("Using the product", { exact: true }).click({ force: true });
  await page.locator("input[value=usage]").click({ force: true });
  assert.equal(await page.locator("input[value=usage]").isChecked(), false);
  assert.equal(await page.getByTestId("reply-date").count(), 0);
  await context.close();
});
