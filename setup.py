"""Packs the page's script and its Streamlit settings into the wheel, so that ``spiral-playground`` serves the app
exactly as ``streamlit run app.py`` does in a checkout.

``app.py`` and ``.streamlit/config.toml`` live at the top of the checkout, where ``streamlit run app.py`` finds them. A
wheel holds packages only, so ``pip install .`` copies both into ``playground/page/``, where ``playground.launch``
looks first; Streamlit reads the ``.streamlit/config.toml`` beside the script it runs. An editable install copies
nothing: the launcher finds them in the checkout. Everything else is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PAGE_FILES = ("app.py", ".streamlit/config.toml")


class BuildPyWithThePage(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:
            for name in PAGE_FILES:
                target = Path(self.build_lib, "playground", "page", name)
                self.mkpath(str(target.parent))
                self.copy_file(name, str(target))


setup(cmdclass={"build_py": BuildPyWithThePage})
