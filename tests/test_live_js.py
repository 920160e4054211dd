"""The live view's JavaScript: its pure helpers under Node's own test runner (tests/js/*.test.js), and the one
script the page gets from its modules (``playground.live.joined_script``)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from playground.live import HERE, joined_script

ROOT = Path(__file__).resolve().parents[1]
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(
    NODE is None, reason="node is not installed: the live view's JavaScript runs under Node (apt-get install nodejs)"
)


def node(*arguments):
    """Node's output; a failure shows all it said."""
    done = subprocess.run([NODE, *arguments], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-4000:]
    return done.stdout


@needs_node
def test_the_pure_helpers_pass_their_node_tests():
    tests = sorted(str(path) for path in (ROOT / "tests" / "js").glob("*.test.js"))
    assert tests
    summary = node("--test", *tests)
    assert re.search(r"^# fail 0$", summary, re.MULTILINE) and not re.search(r"^# pass 0$", summary, re.MULTILINE)


def test_the_page_gets_every_module_once_after_those_it_imports():
    script = joined_script()
    modules = re.findall(r"^// playground/live/(\S+\.js)$", script, re.MULTILINE)
    assert sorted(modules) == sorted(path.name for path in HERE.glob("*.js"))  # none left out, none twice
    for name in modules:
        imported = re.findall(r'^import \{[^}]*\} from "\./(\S+)";', (HERE / name).read_text(), re.MULTILINE)
        assert all(modules.index(neighbour) < modules.index(name) for neighbour in imported), name
    assert modules[-1] == "live.js"
    leftover = re.findall(r"^(?:import|export)\b.*", script, re.MULTILINE)
    assert leftover == ["export default function ({ data, parentElement, setTriggerValue }) {"]


@needs_node
def test_the_joined_script_runs_on_its_own_and_exports_the_component(tmp_path):
    """Alone in a folder, as the browser runs it from a blob: an import left in it would find nothing, and two
    modules declaring one name would not parse."""
    path = tmp_path / "live.mjs"
    path.write_text(joined_script())
    imported = f"const found = await import({path.as_uri()!r}); console.log(Object.keys(found), typeof found.default)"
    assert node("--input-type=module", "-e", imported).split() == ["[", "'default'", "]", "function"]
