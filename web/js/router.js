// Hash routing (#/path?query), so deep links work with the gateway's plain static serving.

const routes = [];
let notFound = () => {};
let beforeEach = async () => true;
let go = async () => {};

/** Render the current route again (e.g. after a change on the screen). */
export function reload() {
  return go();
}

/** route("/jobs/:number", render, { auth: true }) — render(params, query) returns a Node (or a Promise of one). */
export function route(pattern, render, options = {}) {
  const names = [];
  const regex = new RegExp(`^${pattern.replace(/:([a-z_]+)/g, (_, name) => { names.push(name); return "([^/]+)"; })}$`);
  routes.push({ regex, names, render, options });
}

export function otherwise(render) {
  notFound = render;
}

/** guard(match) → true to render, false when it redirected. */
export function guard(fn) {
  beforeEach = fn;
}

export function current() {
  const raw = window.location.hash.replace(/^#/, "") || "/";
  const [path, queryString = ""] = raw.split("?");
  return { path, query: new URLSearchParams(queryString), raw };
}

export function navigate(hash) {
  const target = hash.startsWith("#") ? hash : `#${hash}`;
  if (window.location.hash === target) go();
  else window.location.hash = target;
}

export function resolve() {
  const { path, query } = current();
  for (const r of routes) {
    const m = r.regex.exec(path);
    if (!m) continue;
    const params = Object.fromEntries(r.names.map((name, i) => [name, decodeURIComponent(m[i + 1])]));
    return { render: r.render, params, query, options: r.options, path };
  }
  return { render: notFound, params: {}, query, options: {}, path };
}

export function start(show) {
  go = async () => {
    const match = resolve();
    if (await beforeEach(match)) show(match);
  };
  window.addEventListener("hashchange", go);
  return go();
}
