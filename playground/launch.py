"""``spiral-playground``: the page, served as ``streamlit run app.py`` serves it in a checkout, from anywhere.

Arguments are passed on to ``streamlit run`` (``spiral-playground --server.port 8600``). Streamlit reads the
``.streamlit/config.toml`` beside the script, so the app keeps its settings (no usage statistics, 127.0.0.1).
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKED_APP = HERE / "page" / "app.py"  # where `pip install .` packs app.py and .streamlit/ (see setup.py)
CHECKOUT_APP = HERE.parent / "app.py"  # a checkout, installed with `pip install -e .` or not


def app_script():
    return PACKED_APP if PACKED_APP.exists() else CHECKOUT_APP


def main(args=None):
    from streamlit.web import cli

    arguments = sys.argv[1:] if args is None else args
    cli.main(["run", str(app_script()), *arguments], prog_name="spiral-playground")
