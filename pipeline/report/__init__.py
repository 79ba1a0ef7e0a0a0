"""Self-contained HTML reports (Jinja2 templates, displaCy entities, matplotlib figures).

Needs the ``report`` extra: ``pip install 'framing[report]'`` (Jinja2 and matplotlib).
"""

from .render import evaluation_view, piece_view, render_report, write_html
from .writers import write_classify_report, write_evaluation_report, write_inspect_report

__all__ = [
    "evaluation_view",
    "piece_view",
    "render_report",
    "write_classify_report",
    "write_evaluation_report",
    "write_html",
    "write_inspect_report",
]
