// Demo only. `?lang=`, `?config=` and `?locked=` go to the widget's attributes. `?plan=` states the plan
// as a host page that knows it would (data-plan; the session is then not asked), for
// viewing any plan without signing in. The demo bar shows who the session says you are.
(function () {
  var query = new URLSearchParams(location.search);
  var mount = document.querySelector("[data-deskform]");
  var form = document.querySelector(".demo-bar");
  function choose(name, value) {
    var select = form.elements[name];
    if (value !== null && [].some.call(select.options, function (o) { return o.value === value; })) select.value = value;
  }
  [["plan", "data-plan"], ["lang", "data-locale"], ["config", "data-config-url"], ["locked", "data-locked-desks"]].forEach(function (pair) {
    var value = query.get(pair[0]);
    if (value !== null && (value || pair[0] === "plan")) mount.setAttribute(pair[1], value);
  });
  choose("lang", query.get("lang"));
  var lang = query.get("lang");
  if (lang === "ja" || lang === "vi") document.documentElement.lang = lang;
  if (query.has("plan")) {
    choose("plan", query.get("plan"));
    return;
  }
  var touched = false;
  form.elements.plan.addEventListener("change", function () { touched = true; });
  fetch("/api/session", { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (session) {
      if (!session) return;
      // A choice made while the session loaded stands.
      if (!touched) choose("plan", session.plan || "");
      form.querySelector(".demo-who").textContent = session.signed_in ? "Signed in as " + session.email : "Signed out";
    })
    .catch(function () {});
})();
