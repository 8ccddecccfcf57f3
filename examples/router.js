// A tiny router, as a framework's would be: two routes, the form on one. Leaving the contact
// route unmounts the widget; coming back mounts a new one. The widget is mounted through the
// API (window.deskform.mount), as a framework component does in its mount hook.
const view = document.querySelector("#view");
let widget = null;

const routes = {
  "#/": () => {
    const heading = document.createElement("h1");
    heading.textContent = "Home";
    const text = document.createElement("p");
    text.textContent = "Welcome. Questions? Go to Contact.";
    view.replaceChildren(heading, text);
  },
  "#/contact": () => {
    const heading = document.createElement("h1");
    heading.textContent = "Contact";
    const host = document.createElement("div");
    host.id = "contact-form";
    view.replaceChildren(heading, host);
    widget = window.deskform.mount(host, {
      sessionUrl: "/api/session",
      submitUrl: "/api/inquiries",
      locale: "en",
    });
  },
};

function render() {
  // What a component's unmount hook does.
  widget?.unmount();
  widget = null;
  (routes[location.hash] ?? routes["#/"])();
}

window.addEventListener("hashchange", render);
render();
