// Just enough Markdown for the 利用規約 and プライバシーポリシー: headings, lists, paragraphs — as DOM, never HTML.
import { h } from "./dom.js";

export function markdown(text) {
  const root = h("div", { class: "markdown" });
  let list = null;
  for (const raw of String(text || "").split(/\r?\n/)) {
    const line = raw.trim();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^(?:[-*]|\d+[.)])\s+(.*)$/.exec(line);
    if (!line) { list = null; continue; }
    if (heading) {
      list = null;
      root.append(h(`h${Math.min(heading[1].length + 2, 6)}`, {}, heading[2]));
    } else if (item) {
      if (!list) { list = h(/^\d/.test(line) ? "ol" : "ul"); root.append(list); }
      list.append(h("li", {}, item[1]));
    } else {
      list = null;
      root.append(h("p", {}, line));
    }
  }
  return root;
}
