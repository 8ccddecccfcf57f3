// The round trip against a real `deskform serve`: signing in on the demo page as each plan and
// sending to each desk it allows; then everything the network can do between the widget and
// the receiver (a 500, a lost answer, a receiver stopped mid-submit, an answer slower than the
// timeout, a double click, a reload while sending, being offline, the session endpoint down),
// each ending with the inquiry stored exactly once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axe, chooseDesk, launch, openWidget, replyDate, screenshot, useBrowser } from "../lib/harness.mjs";

const env = useBrowser();

let serial = 0;
/** A subject no other test uses, to find this inquiry among the stored ones. */
const subject = (what) => `${what} #${++serial} ${Date.now()}`;

async function fill(page, { email, subject, message = "The reset mail never arrives.\nI checked spam." }) {
  if (email) await page.getByLabel("Email").fill(email);
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Message").fill(message);
}

const ticket = (page) => page.getByTestId("ticket-id");

/** Whether a field takes no typing. */
const readOnly = (locator) => locator.evaluate((element) => element.readOnly);

/** Counts the inquiry posts the page itself makes (not the network's own retries). */
function countPosts(page) {
  const posts = { count: 0 };
  page.on("request", (r) => r.method() === "POST" && r.url().endsWith("/api/inquiries") && posts.count++);
  return posts;
}

/**
 * Opens the widget signed out and writes an inquiry to the login desk, ready to send; `mine`
 * is its subject.
 */
async function compose(what, options = {}) {
  const { context, page } = await openWidget(env, { lang: "en", ...options });
  const mine = subject(what);
  await chooseDesk(page, "Trouble signing in");
  await fill(page, { email: "an@example.com", subject: mine });
  return { context, page, mine };
}

/** The inquiry is stored exactly once, and the page shows its ticket. */
async function storedOnceAndShown(page, mine) {
  await ticket(page).waitFor({ timeout: 20_000 });
  const rows = stored(mine);
  assert.equal(rows.length, 1, `stored once: ${mine}`);
  assert.equal(await ticket(page).innerText(), rows[0].ticket);
}

/**
 * Presses "Try now", unless the widget's own retry got there first (the button is then gone
 * for good, and the ticket shown).
 */
async function retryNow(page) {
  const click = page.getByRole("button", { name: "Try now" }).click().catch(() => {});
  await Promise.race([click, ticket(page).waitFor({ timeout: 30_000 })]);
}

/** The stored rows with this subject. */
const stored = (subject) => env.server.inquiries().filter((row) => row.subject === subject);

/** Waits until the status line says something matching `pattern`. */
async function statusSays(page, pattern) {
  await page.locator(".deskform-outcome", { hasText: pattern }).waitFor({ timeout: 20_000 });
}

const plans = [
  { plan: "", label: "Signed out", desks: ["Trouble signing in"] },
  { plan: "free", label: "Free plan", desks: ["Trouble signing in"] },
  { plan: "personal", label: "Personal plan (legacy)", desks: ["Trouble signing in", "Using the product"] },
  { plan: "business", label: "Business plan", desks: ["Trouble signing in", "Using the product"] },
  { plan: "enterprise", label: "Enterprise plan", desks: ["Trouble signing in", "Using the product"] },
];

for (const { plan, label, desks } of plans) {
  test(`signed in on the demo page as ${label}: every allowed desk, sent and stored once`, async () => {
    // The demo page exactly as `deskform serve` serves it, signed in through its demo bar.
    const context = await env.browser.newContext({ timezoneId: "Asia/Ho_Chi_Minh", locale: "en-GB" });
    const page = await context.newPage();
    const errors = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(`${env.server.receiverUrl()}/`);
    await page.locator(".demo-who", { hasText: "Signed out" }).waitFor();
    await page.locator(".demo-bar select[name=plan]").selectOption(plan);
    await page.locator(".demo-bar select[name=lang]").selectOption("en");
    // The sign-in posts, then comes back to the page: wait for the new page, whose widget
    // shows its form only once the session is read.
    await Promise.all([page.waitForURL("**/?lang=en"), page.getByRole("button", { name: "Apply" }).click()]);
    await page.waitForSelector(".deskform-form");
    const email = page.getByLabel("Email");
    if (plan) {
      assert.equal(await email.inputValue(), `${plan}.customer@example.com`);
      assert.equal(await readOnly(email), true, "the account's address is not typed");
      assert.match(await page.locator(".demo-who").innerText(), new RegExp(`${plan}.customer@example.com`));
    } else {
      assert.equal(await readOnly(email), false);
    }
    // Only the desks the plan allows are offered, none of them disabled.
    const offered = await page.$$eval(".deskform-desk input", (inputs) => inputs.map((i) => !i.disabled));
    assert.deepEqual(offered, desks.map(() => true));

    for (const desk of desks) {
      await chooseDesk(page, desk);
      const expected = await replyDate(page);
      const mine = subject(`${plan || "signed-out"} to ${desk}`);
      await fill(page, { email: plan ? undefined : "visitor@example.com", subject: mine });
      await page.getByRole("button", { name: "Send" }).click();
      await ticket(page).waitFor();
      const id = await ticket(page).innerText();
      assert.match(id, /^DF-[0-9A-Z]{10}$/);
      const due = await page.getByTestId("sent-reply-date").getAttribute("datetime");
      assert.equal(due, expected.iso, "the receiver's date is the one the widget promised");
      const rows = stored(mine);
      assert.equal(rows.length, 1, `stored once: ${mine}`);
      assert.equal(rows[0].ticket, id);
      assert.equal(rows[0].due, due);
      assert.equal(rows[0].email, plan ? `${plan}.customer@example.com` : "visitor@example.com");
      // The draft is cleared for the next inquiry; the identity stays.
      assert.equal(await page.getByLabel("Subject").inputValue(), "");
      if (plan) {
        assert.equal(await email.inputValue(), `${plan}.customer@example.com`);
        const read = await context.request.get(`${env.server.receiverUrl()}/api/inquiries/${id}`);
        assert.equal(read.status(), 200);
        assert.equal((await read.json()).subject, mine);
      }
    }
    assert.deepEqual(await axe(page), []);
    await screenshot(page, `roundtrip-sent-${plan || "signed-out"}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("a 500 (twice) then success: the widget says so, tries again with the same key, one row", async () => {
  // Two failures: the inquiry stays on its way (2 s, then 4 s) while the checks below run.
  env.server.faults.inquiries.push({ status: 500 }, { status: 500 });
  const { context, page, mine } = await compose("500 then success");
  const posts = countPosts(page);
  await page.getByRole("button", { name: "Send" }).click();
  await statusSays(page, /the support desk had a problem\. Your inquiry is kept\. Trying again in 2 seconds/);
  assert.equal(await page.getByLabel("Subject").inputValue(), mine, "the draft is kept");
  assert.equal(await readOnly(page.getByLabel("Subject")), true, "and fixed while it is on its way");
  assert.equal(await page.getByRole("button", { name: "Send" }).getAttribute("aria-disabled"), "true", "one way to retry: Try now");
  assert.equal(await page.getByText("From your account").count(), 0, "signed out: the address is the visitor's");
  await screenshot(page, "roundtrip-retrying");
  await storedOnceAndShown(page, mine);
  assert.equal(posts.count, 3);
  await context.close();
});

test("the answer is lost after the receiver stored it: the retry gets the same ticket", async () => {
  env.server.faults.inquiries.push({ dropReply: true });
  const { context, page, mine } = await compose("lost answer");
  await page.getByRole("button", { name: "Send" }).click();
  await statusSays(page, /could not be reached/);
  assert.equal(stored(mine).length, 1, "the first attempt was stored");
  await retryNow(page);
  await storedOnceAndShown(page, mine);
  await context.close();
});

test("the receiver stopped mid-submit, then started again: sent once, nothing typed lost", async () => {
  const { context, page, mine } = await compose("receiver stopped");
  // The answer is held while the receiver is told to stop: the request in flight finishes
  // (graceful shutdown) but the browser never hears back; the next attempts find no one.
  env.server.faults.inquiries.push({ dropReply: true });
  await page.getByRole("button", { name: "Send" }).click();
  await env.server.stopReceiver();
  await statusSays(page, /could not be reached\. Your inquiry is kept\. Trying again in \d+ seconds/);
  await page.getByRole("button", { name: "Try now" }).click();
  await statusSays(page, /could not be reached/);
  assert.equal(await page.getByLabel("Message").inputValue(), "The reset mail never arrives.\nI checked spam.");
  await screenshot(page, "roundtrip-receiver-down");
  await env.server.restartReceiver();
  await retryNow(page);
  await storedOnceAndShown(page, mine);
  await context.close();
});

test("an answer slower than the timeout: the widget gives up after 15 s, retries, one row", async () => {
  env.server.faults.inquiries.push({ delayMs: 60_000 });
  const { context, page, mine } = await compose("slow answer");
  const posts = countPosts(page);
  // From the keyboard: the button is disabled for assistive technology while the inquiry is
  // on its way, and keeps the focus that pressed it.
  await page.getByRole("button", { name: "Send" }).focus();
  await page.keyboard.press("Enter");
  await statusSays(page, /Sending your inquiry/);
  const sending = page.getByRole("button", { name: "Sending…" });
  assert.equal(await sending.getAttribute("aria-disabled"), "true");
  assert.equal(await sending.evaluate((button) => button === document.activeElement), true);
  await page.keyboard.press("Enter");
  // The browser's own timer (AbortSignal.timeout) gives up; the widget then waits 2 s.
  await statusSays(page, /could not be reached/);
  await storedOnceAndShown(page, mine);
  assert.equal(posts.count, 2, "the second Enter while sending did nothing");
  await context.close();
});

test("a double click sends one request", async () => {
  const { context, page, mine } = await compose("double click");
  const posts = countPosts(page);
  await page.getByRole("button", { name: "Send" }).dblclick();
  await storedOnceAndShown(page, mine);
  assert.equal(posts.count, 1);
  await context.close();
});

test("a reload while sending resumes with the same key: one row, the ticket shown", async () => {
  env.server.faults.inquiries.push({ delayMs: 5_000 });
  const { context, page, mine } = await compose("reload while sending");
  await page.getByRole("button", { name: "Send" }).click();
  await statusSays(page, /Sending your inquiry/);
  await page.reload();
  await storedOnceAndShown(page, mine);
  // Sent: the stored draft is gone, so another reload shows an empty form.
  await page.reload();
  await page.waitForSelector(".deskform-form");
  assert.equal(await page.getByLabel("Subject").inputValue(), "");
  await context.close();
});

test("offline: the inquiry is held and sent when the browser is back online", async () => {
  const { context, page } = await openWidget(env, { lang: "vi" });
  const mine = subject("offline");
  await chooseDesk(page, "Thắc mắc về đăng nhập");
  await page.getByLabel("Email").fill("an@example.com");
  await page.getByLabel("Tiêu đề").fill(mine);
  await page.getByLabel("Nội dung").fill("Không nhận được mã SMS.");
  await context.setOffline(true);
  await page.getByRole("button", { name: "Gửi" }).click();
  await statusSays(page, /Bạn đang ngoại tuyến/);
  await screenshot(page, "roundtrip-offline-vi");
  assert.equal(stored(mine).length, 0);
  await context.setOffline(false);
  await ticket(page).waitFor();
  assert.equal(stored(mine).length, 1);
  // By the due date, the date included: "chậm nhất vào", never "trước" (before).
  await statusSays(page, /Đã gửi\. Mã yêu cầu của bạn là \S+\. Chúng tôi sẽ phản hồi chậm nhất vào .+\./);
  await context.close();
});

test("the session endpoint down: the signed-out view, a retry and a sign-in hint", async () => {
  const context = await env.browser.newContext();
  // Signed in on the business plan, then the session endpoint fails.
  await context.request.post(`${env.server.url}/demo/sign-in`, { form: { plan: "business" } });
  env.server.faults.sessionDown = true;
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${env.server.url}/?lang=en`);
  await page.waitForSelector(".deskform-form");
  const notice = page.locator(".deskform-session-failed");
  assert.match(await notice.innerText(), /could not check whether you are signed in/);
  assert.equal(await notice.getByRole("link", { name: "Sign in" }).getAttribute("href"), "/signin");
  assert.equal(await page.locator("input[value=usage]").count(), 0, "never a paid desk");
  assert.ok(errors.some((e) => e.startsWith("deskform: data-session-url /api/session:")), errors.join("\n"));
  assert.deepEqual(await axe(page), []);
  await screenshot(page, "roundtrip-session-down");

  env.server.faults.sessionDown = false;
  await notice.getByRole("button", { name: "Try again" }).click();
  await page.locator("input[value=usage]:not([disabled])").waitFor();
  assert.equal(await page.getByLabel("Email").inputValue(), "business.customer@example.com");
  assert.equal(await notice.count(), 0);
  await context.close();
});

test("a page that shows a plan the session does not have: the receiver refuses, the reason is shown", async () => {
  // The host page claims business (data-plan); the browser is signed out.
  const { context, page } = await openWidget(env, { plan: "business", lang: "en" });
  const mine = subject("forged plan");
  await chooseDesk(page, "Using the product");
  await fill(page, { email: "an@example.com", subject: mine });
  await page.getByRole("button", { name: "Send" }).click();
  await statusSays(page, /did not accept this desk for your account\. Sign in to use this desk/);
  assert.equal(await page.getByLabel("Subject").inputValue(), mine, "the draft is kept");
  assert.equal(await readOnly(page.getByLabel("Subject")), false, "and can be changed");
  assert.equal(stored(mine).length, 0);
  await screenshot(page, "roundtrip-refused");
  await context.close();
});

test("no inquiry is ever stored twice", async () => {
  const subjects = env.server.inquiries().map((row) => row.subject);
  assert.equal(new Set(subjects).size, subjects.length);
});
