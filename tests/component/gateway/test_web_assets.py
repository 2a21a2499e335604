"""The web client's files as the gateway serves them, without a browser: every module index.html
loads (and every module those import) exists and is served, each named import is exported by its
module, nothing comes from another origin, tokens never go to Web Storage, and the HTML carries a
Content-Security-Policy allowing only this origin."""

from __future__ import annotations

import json
import re
import struct
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest

from gateway.app import WEB_DIR, create_gateway

IMPORT = re.compile(r"""^\s*import\s+(?:\{([^}]*)\}\s+from\s+)?["']([^"']+)["'];?""", re.MULTILINE)
REEXPORT = re.compile(r"""^\s*export\s+\{([^}]*)\}\s*;?""", re.MULTILINE)
EXPORT = re.compile(r"^\s*export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)", re.MULTILINE)


class _Assets(HTMLParser):
    """The local files a page loads: scripts, stylesheets, icons."""

    def __init__(self) -> None:
        super().__init__()
        self.modules: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            (self.modules if attrs.get("type") == "module" else self.other).append(attrs["src"])
        if tag == "link" and attrs.get("href") and not attrs["href"].startswith("data:"):
            self.other.append(attrs["href"])


def html_assets(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


def module_graph(entries: list[str], web_dir: Path) -> dict[str, list[tuple[list[str], str]]]:
    """URL path of every module reachable from `entries` → its imports as (names, URL path)."""
    graph: dict[str, list[tuple[list[str], str]]] = {}
    todo = list(entries)
    while todo:
        url = todo.pop()
        if url in graph:
            continue
        source = (web_dir / url.lstrip("/")).read_text(encoding="utf-8")
        imports = []
        for names, spec in IMPORT.findall(source):
            assert spec.startswith(("./", "../", "/")), f"{url} imports {spec!r}: only local modules (no CDN)"
            target = str(PurePosixPath(url).parent.joinpath(spec)) if not spec.startswith("/") else spec
            target = str(PurePosixPath(*_normalise(PurePosixPath(target).parts)))
            imports.append(([n.strip().split(" as ")[0] for n in names.split(",") if n.strip()], target))
            todo.append(target)
        graph[url] = imports
    return graph


def _normalise(parts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part == "..":
            out.pop()
        elif part != ".":
            out.append(part)
    return out


def exports(source: str) -> set[str]:
    names = set(EXPORT.findall(source))
    for group in REEXPORT.findall(source):
        names |= {n.strip().split(" as ")[-1] for n in group.split(",") if n.strip()}
    return names


@pytest.fixture
def client(settings):
    return create_gateway({}, settings).test_client()


def test_every_module_the_page_loads_exists_and_is_served(client):
    page = client.get("/")
    assert page.status_code == 200
    assets = html_assets(page.get_data(as_text=True))
    assert assets.modules == ["/js/app.js"]
    graph = module_graph(assets.modules, WEB_DIR)
    assert len(graph) >= 10  # the api client, router, DOM helper and a module per screen area
    for url in list(graph) + assets.other:
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith(".js"):
            assert response.mimetype in ("text/javascript", "application/javascript"), url
        response.close()


def test_every_named_import_is_exported_by_its_module():
    graph = module_graph(["/js/app.js"], WEB_DIR)
    for url, imports in graph.items():
        for names, target in imports:
            missing = set(names) - exports((WEB_DIR / target.lstrip("/")).read_text(encoding="utf-8"))
            assert not missing, f"{url} imports {sorted(missing)} that {target} does not export"


def test_the_import_check_finds_a_missing_module_and_a_missing_export(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text('import { b, c } from "./b.js";\nimport "./gone.js";\n')
    (tmp_path / "js" / "b.js").write_text("export function b() {}\n")
    with pytest.raises(FileNotFoundError):
        module_graph(["/js/a.js"], tmp_path)
    (tmp_path / "js" / "gone.js").write_text("")
    graph = module_graph(["/js/a.js"], tmp_path)
    assert graph["/js/a.js"][0] == (["b", "c"], "/js/b.js")
    assert exports((tmp_path / "js" / "b.js").read_text()) == {"b"}


def test_the_page_has_a_content_security_policy_allowing_only_self(client):
    for path in ("/", "/index.html"):
        response = client.get(path)
        policy = response.headers.get("Content-Security-Policy", "")
        directives = {d.strip().split(" ")[0]: d.strip().split(" ")[1:] for d in policy.split(";") if d.strip()}
        assert directives.get("default-src") == ["'self'"], path
        assert directives.get("script-src") == ["'self'"], path
        assert directives.get("style-src") == ["'self'"], path
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        response.close()


def test_web_files_load_nothing_from_elsewhere_and_keep_tokens_out_of_storage():
    files = [p for p in WEB_DIR.rglob("*") if p.suffix in (".html", ".js", ".css")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), f"{path}: a resource from another origin"
        assert "@import url(http" not in text and "cdn" not in text.lower(), path
        if path.suffix == ".js":
            assert not re.search(r"\b(localStorage|sessionStorage|indexedDB)\s*[.\[]", text), f"{path}: Web Storage"
            assert not re.search(r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML", text), \
                f"{path}: HTML from strings (server text is set as textContent)"
        if path.suffix == ".html":
            assert "<script>" not in text and " style=" not in text and "onclick=" not in text, \
                f"{path}: inline script or style (refused by the CSP)"


ROUTE = re.compile(r"""^route\("([^"]+)",""", re.MULTILINE)
HASH_LINK = re.compile(r"""["'`](#/[^"'`?$]*)""")


def app_routes(web_dir: Path) -> list[re.Pattern]:
    """The routes app.js declares, as patterns (`:name` matches one path segment, as router.js does)."""
    source = (web_dir / "js" / "app.js").read_text(encoding="utf-8")
    return [re.compile("^" + re.sub(r":[a-z_]+", "[^/]+", pattern) + "$") for pattern in ROUTE.findall(source)]


def test_every_in_app_link_names_a_route():
    routes = app_routes(WEB_DIR)
    assert any(r.match("/direct-requests") for r in routes)
    links = {(path.name, link) for path in WEB_DIR.rglob("*.js")
             for link in HASH_LINK.findall(path.read_text(encoding="utf-8"))}
    assert ("nav.js", "#/direct-requests") in links and ("notices.js", "#/direct-requests") in links
    for name, link in sorted(links):
        path = link[1:]
        if path.endswith("/") and path != "/":  # a template such as `#/jobs/${number}`: one segment follows
            path += "x"
        assert any(r.match(path) for r in routes), f"{name} links to {link}, which no route of app.js shows"


def test_the_link_check_finds_a_link_without_a_route(tmp_path):
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "app.js").write_text('route("/", landing);\nroute("/jobs/:number", job, seeker);\n')
    routes = app_routes(tmp_path)
    assert any(r.match("/jobs/x") for r in routes) and any(r.match("/") for r in routes)
    assert not any(r.match("/direct-request") for r in routes)


SHELL_LIST = re.compile(r"const SHELL = \[([^\]]*)\]")


def test_the_app_shell_is_served_with_its_content_types(client):
    """Issue 12, the installable shell: the manifest (application/manifest+json) names the app and
    its PNG icons of the sizes it says, the service worker is a script at the root (its scope is the
    whole client), and the offline page carries the page's CSP."""
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200 and answer.mimetype == "application/manifest+json"
    manifest = json.loads(answer.get_data(as_text=True))
    assert manifest["name"] == "ハローワーク 求職者マイページ" and manifest["lang"] == "ja"
    assert manifest["display"] == "standalone" and manifest["start_url"].startswith("/")
    sizes = set()
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200 and served.mimetype == icon["type"], icon
        if icon["type"] == "image/png":
            data = served.get_data()
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
            width, height = struct.unpack(">II", data[16:24])
            assert icon["sizes"] == f"{width}x{height}", icon
            sizes.add(width)
    assert {192, 512} <= sizes  # what an install on Android asks for

    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker.mimetype in ("text/javascript", "application/javascript")
    for path in re.findall(r'"([^"]+)"', SHELL_LIST.search(worker.get_data(as_text=True)).group(1)):
        assert client.get(path).status_code == 200, f"sw.js caches {path}, which is not served"

    offline = client.get("/offline.html")
    assert offline.status_code == 200 and offline.mimetype == "text/html"
    assert offline.headers["Content-Security-Policy"].startswith("default-src 'self'")
    text = offline.get_data(as_text=True)
    assert '<html lang="ja">' in text and "インターネットに接続されていません" in text
    for asset in html_assets(text).other:
        assert client.get(asset).status_code == 200, asset
