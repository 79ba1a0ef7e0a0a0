"""``framing annotate``: a local web page to label a corpus one piece at a time."""

from __future__ import annotations

import functools
import getpass
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import errors
from ._common import csv_options, err, load_pieces, make_processor, out, report_load
from ._errors import handles_errors
from ._text import esc


@handles_errors
def annotate_cli(
    corpus: Annotated[list[Path], typer.Argument(help="Corpus files or folders (JSONL, CSV/TSV, .txt/.md).")],
    labels: Annotated[Path, typer.Option("--labels", "-l", help="The labels file to append to (JSONL; created if missing).")],
    task: Annotated[list[str], typer.Option("--task", "-t", help="Task(s) to label; the first chooses the order.")],
    annotator: Annotated[Optional[str], typer.Option(help="Your name, written with every label (default: your login).")] = None,
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free one).")] = 0,
    host: Annotated[str, typer.Option(help="Interface to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    model: Annotated[Optional[Path], typer.Option(help="Model folder that guesses and chooses (default: models/default).")] = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="No model: order by diversity alone, no guesses.")] = False,
    retrain_every: Annotated[int, typer.Option(min=0, help="Refit the model in the background after every N labels (0: never).")] = 0,
    codebook: Annotated[Optional[Path], typer.Option(help="Markdown codebook with a '### label' section per label (default: CODEBOOK.md beside the corpus).")] = None,
    label_set: Annotated[Optional[list[str]], typer.Option(help="TASK=a,b,c: the labels of a task the model does not know.")] = None,
    batch: Annotated[int, typer.Option(min=1, help="Pieces suggested at a time.")] = 50,
    trust: Annotated[bool, typer.Option(help="Load a model from outside the trusted folders (it can run code).")] = False,
    skip_invalid: Annotated[bool, typer.Option(help="Skip invalid records, reporting each, instead of stopping.")] = False,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="CSV column mapping FIELD=COLUMN.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where processed texts are cached.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the cache.")] = False,
) -> None:
    """Serve a page on this machine to label CORPUS for TASK, one piece at a time, most useful first.

    Keys: 1-9 label, space skips, u undoes. Every label is appended to --labels at once
    (flushed to disk), with your name and the time; several annotators can share a file.
    Open the printed URL (it holds a random token: requests without it are refused).
    """
    from ..inference.framer import Framer
    from ..labelling.codebook import read_codebook
    from ..labelling.server import AnnotationServer
    from ..labelling.session import AnnotationSession, ner_entities, retrain_framer
    from ..labelling.store import LabelWriter

    pieces, report = load_pieces(corpus, skip_invalid=skip_invalid, options=csv_options(map_, None))
    report_load(report)
    framer = None
    if not no_model:
        framer = Framer.load(model, trust=trust)
        framer.processor = make_processor(framer.model.spacy_model, cache_dir, no_cache, 1)
        processor = framer.processor
    else:
        processor = make_processor(None, cache_dir, no_cache, 1)
    codebook_path = codebook or _beside(corpus, "CODEBOOK.md")
    definitions = read_codebook(codebook_path) if codebook_path else {}
    writer = LabelWriter(labels, annotator or _login())
    config = framer.model.config if framer is not None else None
    session = AnnotationSession(
        pieces, task, writer, framer=framer, label_sets=_label_sets(label_set), codebook=definitions, batch=batch,
        retrain_every=retrain_every, retrain=functools.partial(retrain_framer, config=config, processor=processor),
        entities=ner_entities(processor))
    for problem in session.problems:
        err.print(f"[yellow]warning:[/] {esc(problem)}", highlight=False)
    server = AnnotationServer(session, host=host, port=port)
    out.print(f"labelling {len(pieces)} pieces for {', '.join(task)} as {writer.annotator}; labels go to {labels}",
              highlight=False)
    if codebook_path:
        out.print(f"label definitions from {codebook_path}", highlight=False)
    out.print(f"open {server.url}", highlight=False, soft_wrap=True)
    out.print("(Ctrl-C stops; every label is already saved)", highlight=False)
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    err.print(f"stopped; labels are in {esc(labels)}", highlight=False)


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


def _beside(paths: list[Path], name: str) -> Path | None:
    for path in paths:
        for folder in (path, path.parent) if path.is_dir() else (path.parent,):
            if (folder / name).is_file():
                return folder / name
    return None


def _label_sets(items: list[str] | None) -> dict[str, list[str]]:
    sets = {}
    for item in items or []:
        name, sep, values = item.partition("=")
        labels = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or not name.strip() or len(labels) < 2:
            raise errors.ConfigError.of(errors.BAD_LABEL_SET, item=item)
        sets[name.strip()] = labels
    return sets
