// The widget in Japanese and Vietnamese: text, dates through Intl, holiday names.
import { test } from "node:test";
import assert from "node:assert/strict";
import { moreDesks, openWidget, replyDate, screenshot, useBrowser } from "../lib/harness.mjs";

const env = useBrowser();

test("Japanese: labels, the reply date and the holiday's name", async () => {
  const { context, page, errors } = await openWidget(env, {
    plan: "free",
    lang: "ja",
    locale: "ja-JP",
    time: "2026-11-20T18:00:00+09:00",
  });
  assert.equal(await page.locator(".deskform").getAttribute("lang"), "ja");
  assert.equal(await page.locator(".deskform legend").innerText(), "お問い合わせの内容 必須");
  await page.getByLabel("ログインできない", { exact: true }).check();
  assert.deepEqual(await replyDate(page), { iso: "2026-11-25", text: "2026年11月25日水曜日" });
  const region = await page.locator(".deskform-reply").innerText();
  assert.match(region, /2026年11月25日水曜日までに回答予定です。/);
  assert.doesNotMatch(region, /[.:]/, "no ASCII punctuation in Japanese");
  assert.match(region, /勤労感謝の日/);
  assert.deepEqual(await moreDesks(page), { text: "有料プランでご利用いただける窓口もあります。プランを見る", link: "/pricing" });
  assert.deepEqual(errors, []);
  await screenshot(page, "language-ja-free");
  await context.close();
});

test("Vietnamese, chosen from the browser's languages", async () => {
  const { context, page } = await openWidget(env, {
    plan: "business",
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    time: "2026-11-26T23:30:00+07:00",
  });
  assert.equal(await page.locator(".deskform").getAttribute("lang"), "vi");
  await page.getByLabel("Thắc mắc về sử dụng/chức năng", { exact: true }).check();
  const date = await replyDate(page);
  assert.equal(date.iso, "2026-11-30");
  assert.match(date.text, /Thứ Hai.*30 tháng 11.*2026/);
  const region = await page.locator(".deskform-reply").innerText();
  assert.match(region, /Phản hồi chậm nhất vào Thứ Hai, 30 tháng 11, 2026/);
  assert.match(region, /Tối đa một ngày làm việc, không tính cuối tuần và ngày lễ của Nhật Bản\./);
  assert.match(region, /Ở bộ phận hỗ trợ .* đã là/);
  await screenshot(page, "language-vi-business");
  await context.close();
});

test("an unsupported browser language falls back to English", async () => {
  const { context, page } = await openWidget(env, { locale: "fr-FR" });
  assert.equal(await page.locator(".deskform").getAttribute("lang"), "en");
  await context.close();
});
