"""Error messages: the library names Python arguments, the CLI turns the same hints into its flags."""

import pickle
import re
import string
from pathlib import Path

import pytest

from pipeline import errors
from pipeline.cli._errors import FLAGS, message

PACKAGE = Path(errors.__file__).parent


def templates() -> dict[str, str]:
    return {name: value for name, value in vars(errors).items() if name.isupper() and isinstance(value, str)}


def test_every_option_a_message_names_has_an_argument_and_a_flag():
    used = {key for t in templates().values() for key in errors.options_of(t)}
    assert used <= set(errors.ARGUMENTS), used - set(errors.ARGUMENTS)
    assert set(FLAGS) == set(errors.ARGUMENTS)
    assert all("--" in flag or flag.startswith("framing ") for flag in FLAGS.values()), FLAGS


def test_the_library_names_no_flag_outside_the_cli():
    """No error text of the library names a CLI flag (its own scripts' and dask's flags aside)."""
    allowed = {"--retrain", "--nthreads"}
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "cli" in path.relative_to(PACKAGE).parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            if '"' not in code and "'" not in code:
                continue
            for flag in re.findall(r"(?<![\w`-])--[a-z][\w-]*", code):
                if flag not in allowed and "``" not in code:
                    found.append(f"{path.name}:{number}: {flag}")
    assert not found, found


class TestHints:
    def test_the_library_shows_the_argument_and_the_cli_the_flag(self):
        exc = errors.CorpusError.of(errors.NOT_JSON, detail="Expecting value", where="a.jsonl:3")
        assert str(exc).startswith("a.jsonl:3: not valid JSON (Expecting value).")
        assert "pass skip_invalid=True to skip it" in str(exc) and "--" not in str(exc)
        assert exc.options == ("skip_invalid",)
        assert message(exc) == str(exc).replace("skip_invalid=True", "--skip-invalid")

    def test_user_text_with_braces_is_kept(self):
        exc = errors.ConfigError.of(errors.CONFIG_MISSING, path="conf{x}/{opt:trust}.toml")
        assert str(exc).startswith("conf{x}/{opt:trust}.toml: no such config file")
        assert message(exc) == "conf{x}/{opt:trust}.toml: no such config file. Check the path given as --config."

    def test_options_with_values(self):
        exc = errors.ModelError.of(errors.NO_MODEL_HERE, path="models/x", info="model.json")
        assert "`framing train CORPUS --out models/x`" in message(exc) and "--model" in message(exc)
        assert "save_model(model, 'models/x')" in str(exc)

    def test_a_relocated_or_pickled_error_keeps_its_hint(self):
        exc = errors.CorpusError.of(errors.EMPTY_TEXT, where="a:1").at("b:2")
        assert message(exc).startswith("b:2: the piece has no words") and "--skip-invalid" in message(exc)
        back = pickle.loads(pickle.dumps(exc))
        assert message(back) == message(exc) and back.where == "b:2"

    def test_a_prefixed_error_keeps_its_hint(self):
        exc = errors.TrainingError.of(errors.ONE_CLASS, found=["a"]).prefixed("task 'stance': ")
        assert type(exc) is errors.TrainingError and str(exc).startswith("task 'stance': needs at least two")
        assert message(exc).endswith("leave the task out of --task.")

    def test_plain_messages_render_as_they_are(self):
        exc = errors.TrainingError("the corpus is empty: nothing to train on.")
        assert exc.options == () and message(exc) == str(exc)

    def test_joined_templates(self):
        part = errors.partial(errors.LABEL_COLUMN_AS_META, column="Stance", known="stance")
        exc = errors.LabelError.of(errors.literal("x{1}.csv") + ": " + part + ".")
        assert exc.options == ("label_column_named",)
        assert "or pass --label Stance to train" in message(exc) and str(exc).startswith("x{1}.csv: column 'Stance'")
        assert "CsvOptions(labels=('Stance',))" in str(exc)


@pytest.mark.parametrize("name", sorted(templates()))
def test_every_template_fills(name):
    template = templates()[name]
    fields = {f: 1.5 if spec else "X" for _, f, spec, _ in string.Formatter().parse(template) if f and f != "opt"}
    fields.update(path="P", task="T")  # what option values may name
    text = errors.as_arguments(template, **fields)
    assert "{opt" not in text and text.strip()


def test_every_message_text_lives_in_errors():
    """No module writes an error's text inline: each call fills a template of pipeline.errors."""
    import ast

    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "errors.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "errors"
                    and isinstance(node.args[0], (ast.JoinedStr, ast.Constant))):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not found, found
