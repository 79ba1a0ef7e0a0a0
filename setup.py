"""Ship the models inside the package: ``models/default`` becomes ``pipeline/default_model`` and
``models/stance-any`` (the zero-shot stance model) ``pipeline/stance_any_model``.

Everything else is in pyproject.toml. The model stays in the repository's top-level
``models/`` (where ``framing train --out models/NAME`` puts user models too); a wheel, an sdist
install or ``pip install git+...`` gets a copy inside the package, where
``pipeline.models.persist.DEFAULT_MODEL`` finds it. An editable install reads it in place.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MODELS = Path(__file__).resolve().parent / "models"
# folder under models/ -> folder inside the built package (pipeline.models.persist finds them there)
SHIPPED = {"default": "default_model", "stance-any": "stance_any_model"}


class BuildWithModel(build_py):
    """``build_py`` that also copies the shipped models' files into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the editable package reads models/default where it is
        for name, inside in SHIPPED.items():
            model = MODELS / name
            if not (model / "model.json").is_file():
                raise SystemExit(f"{model}/model.json is missing: train it first (framing train corpus/sample "
                                 "--out models/default; python benchmarks/stance_any.py ship)")
            target = Path(self.build_lib) / "pipeline" / inside
            target.mkdir(parents=True, exist_ok=True)
            for file in model.iterdir():
                if file.is_file():
                    shutil.copy2(file, target / file.name)


setup(cmdclass={"build_py": BuildWithModel})
