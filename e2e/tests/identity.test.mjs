// Signed identity in the browser: the demo session hands the widget an identity token that the
// receiver signs (with the demo's own secret) as a team's backend would; the widget sends it as
// `Authorization: Bearer` and never stores it; and, against a receiver started with the team's
// `--identity-key` (no demo), it renews a token through the session endpoint when it expired
// while the customer typed (the browser's clock moved with `page.clock`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  chooseDesk,
  identityKeyFile,
  mintToken,
  startReceiver,
  storedInquiries,
  useBrowser,
} from "../lib/harness.mjs";

const env = useBrowser();

const claimsOf = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());

test("the demo session's token goes with the post as Authorization: Bearer, and is never stored", async () => {
  const context = await env.browser.newContext({ timezoneId: "Asia/Tokyo", locale: "en-US" });
  // Signed in on the demo's business plan before the page opens: the session cookie is the
  // context's.
  const signIn = await context.request.post(`${env.server.receiverUrl()}/demo/sign-in`, {
    form: { plan: "business", lang: "en" },
    maxRedirects: 0,
  });
  assert.equal(signIn.status(), 303);
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  // What the session endpoint handed out, and what each post carried, in order.
  const events = [];
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname !== "/api/session") return;
    const body = await response.json().catch(() => null);
    events.push({ session: body?.token ?? null });
  });
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/inquiries") {
      events.push({ post: request.headers().authorization ?? null });
    }
  });
  await page.goto(`${env.server.receiverUrl()}/?lang=en`);
  await page.waitForSelector(".deskform-form");
  await page.waitForFunction(() => !!document.querySelector("input[value=usage]"));

  const first = events.find((e) => e.session)?.session;
  assert.ok(first, `the session gave a token: ${JSON.stringify(events)}`);
  const claims = claimsOf(first);
  assert.equal(claims.email, "business.customer@example.com");
  assert.equal(claims.plan, "business");
  assert.ok(claims.exp - claims.iat <= 2 * 3600);
  // The token's customer is shown, read-only.
  assert.equal(await page.getByLabel("Email").inputValue(), "business.customer@example.com");

  await chooseDesk(page, "Using the product");
  await page.getByLabel("Subject").fill("With a token");
  await page.getByLabel("Message").fill("Sent with the session's identity token.");
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByTestId("ticket-id").waitFor({ timeout: 20_000 });

  const posts = events.filter((e) => e.post !== undefined);
  assert.equal(posts.length, 1, JSON.stringify(events));
  const fresh = events.filter((e) => e.session).at(-1).session;
  assert.equal(posts[0].post, `Bearer ${fresh}`);

  // The token is in no storage the next person at this computer could read.
  const stored = await page.evaluate(() =>
    JSON.stringify([localStorage, sessionStorage].map((s) => Object.keys(s).map((k) => s.getItem(k)))),
  );
  for (const token of [first, fresh]) {
    assert.ok(!stored.includes(token.split(".")[2]), "no token in storage");
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("a team's own session endpoint: an expired token is renewed, and the receiver stores the token's customer", async () => {
  // The browser's clock runs 30 minutes behind the receiver's real one at first, so that the
  // first token can expire in the browser while the renewed one is valid for the receiver.
  const realNow = Math.floor(Date.now() / 1000);
  const customer = { sub: "cust-7", email: "mai.tran@example.com", name: "Trần Mai", plan: "enterprise" };
  const first = mintToken({ ...customer, iat: realNow - 1800, exp: realNow - 1200 });
  const fresh = mintToken({ ...customer, iat: realNow - 5, exp: realNow + 900 });
  const answers = [first, fresh];
  // The team's receiver: it verifies with the team's key (the one `mintToken` signs with), and
  // has no demo (the two never go together). It serves dist/ itself; the session endpoint is
  // the team's, played by `page.route` below.
  const dir = await mkdtemp(join(tmpdir(), "deskform-e2e-identity-"));
  const db = join(dir, "deskform.db");
  const receiver = await startReceiver(db, ["--identity-key", identityKeyFile(join(dir, "identity-key"))]);
  const context = await env.browser.newContext({ timezoneId: "Asia/Tokyo", locale: "en-US" });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const handedOut = [];
  await page.route("**/api/session", (route) => {
    const token = answers.shift() ?? null;
    handedOut.push(token);
    const { sub, ...shown } = customer;
    route.fulfill({ json: { signed_in: true, ...shown, token } });
  });
  const posts = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/inquiries") {
      posts.push(request.headers().authorization ?? null);
    }
  });
  await page.clock.install({ time: new Date((realNow - 1800) * 1000) });
  await page.goto(`${receiver.url}/?lang=en`);
  await page.waitForFunction(() => !!document.querySelector("input[value=usage]"));
  assert.equal(await page.getByLabel("Email").inputValue(), customer.email);

  await chooseDesk(page, "Using the product");
  await page.getByLabel("Subject").fill("Renewed");
  await page.getByLabel("Message").fill("The first token ran out while I wrote this.");
  await page.clock.fastForward(25 * 60_000);
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByTestId("ticket-id").waitFor({ timeout: 20_000 });

  assert.deepEqual(handedOut, [first, fresh], "the session was asked again before sending");
  assert.deepEqual(posts, [`Bearer ${fresh}`]);
  const rows = storedInquiries(db);
  const row = rows.find((r) => r.subject === "Renewed");
  assert.ok(row, JSON.stringify(rows));
  assert.equal(row.email, customer.email);
  assert.deepEqual(errors, []);
  await context.close();
  await receiver.stop();
  await rm(dir, { recursive: true, force: true });
});
