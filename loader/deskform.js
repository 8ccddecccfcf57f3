// deskform.js: the one stable file a page loads, as
//   <script type="module" src="…/deskform.js"></script>
// It finds the hashed widget files beside itself (the build writes their names below), so the
// folder can be copied to any path or CDN. At once it gives the page `window.deskform`
// (`mount`, `ready`) and the `<deskform-widget>` element; calls made before the wasm has loaded
// wait in a queue and run in order once it has. There are two builds of the widget: the lean
// one (the built-in catalog, what most pages need) and the full one (also a page's own catalog,
// `config-url`); each widget gets the one it needs, and a page downloads at most both. No inline script or style, no eval: it works
// under a strict Content-Security-Policy (see the README).

// Written by loader/post-build.sh after Trunk's build; never edit in dist/.
const FILES = {
  css: "@DESKFORM_CSS@",
  lean: ["@DESKFORM_JS@", "@DESKFORM_WASM@"],
  full: ["@DESKFORM_FULL_JS@", "@DESKFORM_FULL_WASM@"],
};

const here = import.meta.url;
const url = (name) => new URL(name, here).href;

/** The element's attributes and the options they give, camelCase. */
const ATTRIBUTES = {
  plan: "plan",
  "identity-token": "identityToken",
  locale: "locale",
  "session-url": "sessionUrl",
  "submit-url": "submitUrl",
  "config-url": "configUrl",
  "draft-key": "draftKey",
  "draft-ttl": "draftTtl",
  theme: "theme",
  "locked-desks": "lockedDesks",
};

// Space kept for the form before the wasm arrives (no layout shift), and the fallback's look.
// A constructed stylesheet: CSP's style-src governs <style> and style attributes, not CSSOM.
const RESERVE = `
deskform-widget { display: block; min-height: var(--deskform-min-height, 64rem); }
@media (max-width: 40rem) { deskform-widget { min-height: var(--deskform-min-height, 70rem); } }
deskform-widget[data-styling] { visibility: hidden; }
deskform-widget[data-failed] { min-height: 0; }
`;

function reserveSpace() {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(RESERVE);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // A browser without constructed stylesheets: the element is still display:block once it
    // renders; only the reserved space is lost.
  }
}

/**
 * The builds asked for so far (`lean`, `full`), each loaded once, when a widget first needs it:
 * `glue` is its module once loaded, `queue` the calls made before (run in order then), `failed`
 * why it could not load, `waiting` the elements mounted before, told if it never does.
 */
const builds = {};
/** The handle of each element mounted through the API, so a second mount updates it. */
const handles = new WeakMap();
/** The page's own `window.deskform` from an older widget build, if the wasm set one. */
let legacy = null;

function build(kind) {
  if (!builds[kind]) {
    const state = { glue: null, queue: [], failed: null, waiting: new Set() };
    builds[kind] = state;
    state.loaded = load(kind, state);
    // A page that never awaits a load does not get an unhandled rejection when it fails.
    state.loaded.catch(() => {});
  }
  return builds[kind];
}

function run(state, op) {
  if (state.failed) return;
  if (!state.glue) {
    state.queue.push(op);
    return;
  }
  op(state.glue);
}

/** The build for a widget with these options: the full one to read a page's catalog. */
function kindFor(options) {
  if (options?.configUrl) return "full";
  // A page that loads the full build uses it for every widget: one download, not two.
  return builds.full && !builds.lean ? "full" : "lean";
}

class Handle {
  #element;
  #real = null;
  #gone = false;
  /** The build this widget runs on. */
  kind;

  constructor(element, options) {
    this.#element = element;
    this.#mountOn(kindFor(options), options);
  }

  #mountOn(kind, options) {
    this.kind = kind;
    const state = build(kind);
    if (!state.glue) state.waiting.add(this.#element);
    run(state, (glue) => {
      if (!this.#gone && this.kind === kind) this.#real = glue.mount(this.#element, options ?? {});
    });
  }

  /** Changes the widget's options; what the customer typed stays. */
  update(options) {
    if (this.#gone) return;
    if (this.kind === "lean" && options?.configUrl) {
      // The lean build reads no page catalog: the widget moves to the full one, and what the
      // customer typed comes back from its draft.
      this.#real?.unmount();
      this.#real = null;
      builds.lean.waiting.delete(this.#element);
      this.#mountOn("full", options);
      return;
    }
    run(builds[this.kind], () => this.#real?.update(options ?? {}));
  }

  /** Removes the widget from its element. */
  unmount() {
    if (this.#gone) return;
    this.#gone = true;
    if (handles.get(this.#element) === this) handles.delete(this.#element);
    const state = builds[this.kind];
    state.waiting.delete(this.#element);
    run(state, () => {
      this.#real?.unmount();
      this.#real = null;
    });
  }
}

/**
 * Mounts a widget into `element` with `options` (camelCase: plan, locale, sessionUrl,
 * submitUrl, configUrl, draftKey, draftTtl, theme, lockedDesks, prefill), or, with no element,
 * every `[data-deskform]` element not yet mounted. Mounting an element again updates it.
 */
function mount(element, options) {
  if (element === undefined || element === null) {
    for (const state of Object.values(builds)) {
      run(state, (glue) => (glue.mountAll ? glue.mountAll() : legacy?.mount?.()));
    }
    // The lean build leaves `[data-deskform]` elements with a catalog of their own to the full
    // one, which mounts them when it starts.
    if (document.querySelector("[data-deskform][data-config-url]:not([data-deskform-mounted])")) build("full");
    return undefined;
  }
  if (!(element instanceof Element)) throw new TypeError("deskform.mount: the first argument must be an element");
  const known = handles.get(element);
  if (known) {
    known.update(options);
    return known;
  }
  const handle = new Handle(element, options);
  handles.set(element, handle);
  return handle;
}

function optionsOf(element) {
  const options = {};
  for (const [attribute, option] of Object.entries(ATTRIBUTES)) {
    if (element.hasAttribute(attribute)) options[option] = element.getAttribute(attribute);
  }
  if (element.prefill) options.prefill = element.prefill;
  return options;
}

/** What an element whose widget cannot load says, per locale: before and after the email. */
const FALLBACK = {
  en: ["The contact form could not load. Write to us at ", ".", "The contact form could not load. Please reload the page or try again later."],
  ja: ["お問い合わせフォームを読み込めませんでした。", " までメールでお問い合わせください。", "お問い合わせフォームを読み込めませんでした。ページを再読み込みするか、しばらくしてからお試しください。"],
  vi: ["Không tải được biểu mẫu liên hệ. Hãy viết cho chúng tôi tại ", ".", "Không tải được biểu mẫu liên hệ. Vui lòng tải lại trang hoặc thử lại sau."],
};

/** Shows a way to reach support in an element whose widget cannot load. */
function fallBack(element) {
  element.removeAttribute("data-loading");
  element.setAttribute("data-failed", "");
  if (element.children.length > 0 || element.querySelector("[data-deskform-fallback]")) return;
  const lang = (element.getAttribute("locale") || document.documentElement.lang || "en").slice(0, 2);
  const [before, after, alone] = FALLBACK[lang] ?? FALLBACK.en;
  const email = element.getAttribute("fallback-email");
  const text = document.createElement("p");
  text.setAttribute("data-deskform-fallback", "");
  if (email) {
    const link = document.createElement("a");
    link.href = `mailto:${email}`;
    link.textContent = email;
    text.append(before, link, after);
  } else {
    text.textContent = alone;
  }
  element.append(text);
}

/**
 * Keeps a just-mounted widget invisible (its space is kept) until the stylesheet in its shadow
 * root has loaded: the form never shows unstyled, and nothing moves when the styles arrive.
 */
function whenStyled(element) {
  element.setAttribute("data-styling", "");
  const started = performance.now();
  const check = () => {
    const link = element.shadowRoot?.querySelector('link[rel="stylesheet"]');
    if (link?.sheet || performance.now() - started > 5000) element.removeAttribute("data-styling");
    else requestAnimationFrame(check);
  };
  check();
}

class DeskformWidget extends HTMLElement {
  static observedAttributes = Object.keys(ATTRIBUTES);
  #handle = null;
  #prefill = undefined;

  /** `{ desk, subject, message, email, name }`: text to start the form with. */
  get prefill() {
    return this.#prefill;
  }

  set prefill(value) {
    this.#prefill = value;
    this.#handle?.update(optionsOf(this));
  }

  connectedCallback() {
    if (this.#handle) return; // moved within the page: the form stays
    const options = optionsOf(this);
    if (builds[kindFor(options)]?.failed) return fallBack(this);
    this.#handle = mount(this, options);
    this.#show();
  }

  /** Shows the widget once its build has loaded and its stylesheet too. */
  #show() {
    const state = builds[this.#handle.kind];
    if (state.glue) return whenStyled(this);
    this.setAttribute("data-loading", "");
    state.loaded.then(() => {
      this.removeAttribute("data-loading");
      if (this.isConnected) whenStyled(this);
    }, () => {});
  }

  attributeChangedCallback(_name, before, after) {
    if (before === after || !this.#handle) return;
    const kind = this.#handle.kind;
    this.#handle.update(optionsOf(this));
    if (this.#handle.kind !== kind) this.#show();
  }

  disconnectedCallback() {
    // A node moved within the page is disconnected and connected again at once: wait a
    // microtask and keep the form if it is back.
    queueMicrotask(() => {
      if (this.isConnected || !this.#handle) return;
      this.#handle.unmount();
      this.#handle = null;
    });
  }
}

const api = { mount, ready: null, version: 1 };

async function load(kind, state) {
  try {
    const [js, wasm] = FILES[kind];
    const glue = await import(url(js));
    await glue.default({ module_or_path: url(wasm) });
    // An older widget build sets its own window.deskform when it starts: keep ours.
    if (window.deskform !== api) {
      legacy = window.deskform;
      window.deskform = api;
    }
    glue.setStylesheet?.(url(FILES.css));
    state.glue = glue;
  } catch (error) {
    state.failed = error;
    state.queue = [];
    console.error("deskform: the widget could not load:", error);
    for (const element of document.querySelectorAll("deskform-widget")) {
      if ((handles.get(element)?.kind ?? kindFor(optionsOf(element))) === kind) fallBack(element);
    }
    const detail = { kind: "load", message: "the widget could not load" };
    for (const element of state.waiting) {
      element.dispatchEvent(new CustomEvent("deskform:error", { bubbles: true, composed: true, detail }));
    }
    state.waiting.clear();
    throw error;
  }
  state.waiting.clear();
  const pending = state.queue;
  state.queue = [];
  for (const op of pending) {
    try {
      op(state.glue);
    } catch (error) {
      console.error("deskform:", error);
    }
  }
}

/**
 * The nonce of the script tag that loaded this file (a page with `script-src 'nonce-…'`),
 * given to what the loader adds. A module has no `document.currentScript`: find it by URL.
 */
function ownNonce() {
  const own = [...document.querySelectorAll("script[nonce]")].find((script) => script.src === here);
  return (own ?? document.querySelector("script[nonce]"))?.nonce || undefined;
}

/** Light-DOM widgets (`[data-deskform]`) need the stylesheet in the document. */
function linkStylesheet() {
  if (!document.querySelector("[data-deskform]")) return;
  const href = url(FILES.css);
  const linked = [...document.querySelectorAll('link[rel="stylesheet"]')].some((link) => link.href === href);
  if (linked) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  const nonce = ownNonce();
  if (nonce) link.nonce = nonce;
  document.head.append(link);
}

if (window.deskform?.version === undefined) {
  window.deskform = api;
  reserveSpace();
  linkStylesheet();
  // At once, the build the page's widgets need: the full one when one of them reads its own
  // catalog (it then serves them all), else the lean one. `ready` is that build's load.
  const first = document.querySelector("[data-deskform][data-config-url], deskform-widget[config-url]") ? "full" : "lean";
  api.ready = build(first).loaded;
  customElements.get("deskform-widget") ?? customElements.define("deskform-widget", DeskformWidget);
}
