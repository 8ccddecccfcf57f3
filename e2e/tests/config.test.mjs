// data-config-url: a web team's own catalog, and every way one can fail.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chooseDesk, desks, moreDesks, openWidget, replyDate, screenshot, useBrowser } from "../lib/harness.mjs";

const env = useBrowser();

test("a custom catalog: its desks, its plans, its time zone and closures", async () => {
  const { context, page, errors } = await openWidget(env, {
    plan: "basic",
    lang: "en",
    config: "/fixtures/catalog-custom.json",
    timezoneId: "America/New_York",
    time: "2026-12-22T20:00:00-05:00",
  });
  // Billing is for named plans: hidden, and the line says other plans, with the catalog's link.
  assert.deepEqual(await desks(page), [{ id: "general", enabled: true, lock: null, link: null }]);
  assert.deepEqual(await moreDesks(page), { text: "More desks come with other plans. See the plans", link: "/plans" });
  // 20:00 in New York on Tuesday 22 December is Wednesday 02:00 in Berlin. Thursday 24 to
  // Saturday 26 December are closed, Sunday is the weekend: Monday 28, Tuesday 29, Wednesday 30.
  await chooseDesk(page, "General questions");
  assert.equal((await replyDate(page)).iso, "2026-12-30");
  const text = await page.locator(".deskform-reply").innerText();
  assert.match(text, /Within 3 business days; weekends and the desk's closure days excluded\./);
  assert.match(text, /Christmas break/);
  assert.match(text, /It is already Wednesday, December 23, 2026 at the support desk/);
  assert.deepEqual(errors, []);
  await screenshot(page, "config-custom");
  await context.close();
});

test('a custom catalog, data-locked-desks="show": its plans named beside the locked desk', async () => {
  const { context, page, errors } = await openWidget(env, {
    plan: "basic",
    lang: "en",
    config: "/fixtures/catalog-custom.json",
    lockedDesks: "show",
  });
  assert.deepEqual(await desks(page), [
    { id: "general", enabled: true, lock: null, link: null },
    { id: "billing", enabled: false, lock: "Available on the Pro and Team plans.", link: "/plans" },
  ]);
  assert.equal(await moreDesks(page), null);
  assert.deepEqual(errors, []);
  await context.close();
});

const failures = [
  ["a missing file", "/fixtures/no-such-catalog.json", /HTTP 404/],
  ["a file that is not JSON", "/fixtures/not-json.json", /1:1: \$: /],
  [
    "a catalog that fails validation",
    "/fixtures/catalog-invalid.json",
    /10:37: \$\.desks\[0\]\.reply_within_business_days: .*\n.*15:30: \$\.calendar\.time_zone: unknown time zone "Mars\/Olympus_Mons"/,
  ],
  ["an unreachable server", "http://127.0.0.1:9/catalog.json", /request failed/],
];

for (const [name, config, precise] of failures) {
  test(`${name}: a plain message for the visitor, the precise error in the console, no desks`, async () => {
    const { context, page, errors } = await openWidget(env, { lang: "en", config });
    assert.equal(
      await page.locator(".deskform-unavailable").innerText(),
      "The contact form is unavailable right now. Please try again later.",
    );
    assert.equal(await page.locator("input[type=radio]").count(), 0);
    const reported = errors.filter((e) => e.startsWith("deskform: data-config-url"));
    assert.equal(reported.length, 1, errors.join("\n"));
    assert.match(reported[0], precise);
    if (config.includes("invalid")) await screenshot(page, "config-invalid");
    await context.close();
  });
}
