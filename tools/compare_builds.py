"""Is a rebuilt notebook the same as the committed one, apart from what differs on every build?

    python tools/compare_builds.py 00 01 03              # the working tree's notebooks against HEAD's
    python tools/compare_builds.py 03 --against main

Two things change each time tools/build_notebooks.py executes a notebook, whatever its source:
nbclient's execution timestamps (each code cell's metadata "execution") and the widget model ids
(uuid4 hex strings, in the outputs and as keys of the saved widget state). This leaves out the
first and renames the second m0, m1, ... in the order the outputs, and then the models' own
references, reach them; what remains must be equal. It prints the first differing lines if not,
and exits 1.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")  # also in "IPY_MODEL_<id>"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def canonical(text: str) -> str:
    """A notebook's JSON without execution timestamps and with its widget model ids renamed."""
    nb = json.loads(text)
    for cell in nb["cells"]:
        cell["metadata"].pop("execution", None)
    state = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    names, queue = {}, []

    def reach(part):
        for found in MODEL_ID.findall(json.dumps(part, sort_keys=True)):
            if found not in names:
                names[found] = f"m{len(names)}"
                queue.append(found)

    reach(nb["cells"])
    while queue:
        reach(state.get(queue.pop(0), {}))
    for model in sorted(set(state) - set(names)):  # saved but reached by no output
        names[model] = f"unreached{len(names)}"
    renamed = MODEL_ID.sub(lambda m: names.get(m.group(0), m.group(0)), json.dumps(nb))
    return json.dumps(json.loads(renamed), indent=1, sort_keys=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("prefixes", nargs="+", help="notebooks whose name starts with one of these")
    ap.add_argument("--against", default="HEAD", help="the commit to compare with (default HEAD)")
    args = ap.parse_args(argv)
    paths = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if p.name.startswith(tuple(args.prefixes)))
    differ = 0
    for path in paths:
        rel = path.relative_to(ROOT).as_posix()
        old = subprocess.run(
            ["git", "show", f"{args.against}:{rel}"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        a, b = canonical(old).splitlines(), canonical(path.read_text()).splitlines()
        if a == b:
            print(f"{path.name}: the same as {args.against}'s apart from execution timestamps and widget model ids")
            continue
        differ += 1
        lines = [ln for ln in difflib.unified_diff(a, b, lineterm="", n=0) if not ln.startswith(("+++", "---", "@@"))]
        print(f"{path.name}: {len(lines)} lines differ from {args.against}'s, e.g.")
        print("\n".join(f"  {ln[:160]}" for ln in lines[:12]))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
