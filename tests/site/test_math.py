"""Every formula on the built site renders with the site's own KaTeX.

The browser renders maths with `throwOnError: false`, so a formula KaTeX cannot
parse shows up as red source text rather than failing anything. Here each
formula of every built page goes through KaTeX in Node with errors on.
"""

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KATEX = ROOT / "docs" / "assets" / "vendor" / "katex" / "katex.min.js"
ARITHMATEX = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.DOTALL)
RENDER = """
const katex = require(process.argv[1]);
const items = JSON.parse(require("fs").readFileSync(0, "utf8"));
const failures = [];
for (const [where, tex, display] of items) {
  try { katex.renderToString(tex, {displayMode: display, throwOnError: true}); }
  catch (error) { failures.push(`${where}: ${error.message}`); }
}
console.log(JSON.stringify(failures));
"""


def formulas(site: Path) -> list[tuple[str, str, bool]]:
    found = []
    for page in sorted(site.rglob("*.html")):
        for match in ARITHMATEX.finditer(page.read_text(encoding="utf-8")):
            tex = html.unescape(match["tex"]).strip()
            display = tex.startswith("\\[")
            tex = tex[2:-2] if tex[:2] in ("\\(", "\\[") else tex
            found.append((page.relative_to(site).as_posix(), tex, display))
    return found


def test_every_formula_renders_in_katex(built):
    node = shutil.which("node")
    assert node, "node is needed (make install fetches KaTeX with npm)"
    items = formulas(built.site)
    assert len(items) > 1000  # the site is maths-heavy: an empty list means a broken regex
    result = subprocess.run(
        [node, "-e", RENDER, str(KATEX)],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(result.stdout) == []
