"""The annotation page: a small Flask app over an :class:`~.session.AnnotationSession`.

Every request must carry the session's random token (``?token=`` on the page's URL, the
``X-Framing-Token`` header on its API calls), so that other users of the machine, or web pages
open in the same browser, can neither read the corpus nor post labels: without it the answer
is 403. The server binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from importlib import resources
from typing import Any

from .. import errors
from .session import AnnotationSession

TOKEN_HEADER = "X-Framing-Token"


def create_app(session: AnnotationSession, token: str) -> Any:
    """The Flask app serving ``session`` to requests that carry ``token``.

    Raises:
        MissingExtraError: When Flask is not installed.
    """
    try:
        from flask import Flask, abort, jsonify, request
    except ImportError:
        raise errors.MissingExtraError.of(errors.SERVER_ANNOTATION_PAGE_NEEDS) from None
    page = resources.files("pipeline.labelling").joinpath("page.html").read_text("utf-8")
    app = Flask("framing-annotate")

    @app.before_request
    def _check_token() -> None:
        given = request.args.get("token") or request.headers.get(TOKEN_HEADER) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            abort(403)

    @app.after_request
    def _headers(response: Any) -> Any:
        response.headers["X-Frame-Options"] = "DENY"  # no framing by another page (clickjacking)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"  # the token stays out of Referer headers
        return response

    @app.errorhandler(errors.FramingError)
    def _bad_input(exc: errors.FramingError) -> Any:
        return jsonify({"error": str(exc)}), 400

    @app.get("/")
    def index() -> Any:
        nonce = secrets.token_urlsafe(16)
        response = app.response_class(page.replace("{{nonce}}", nonce), mimetype="text/html")
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'")
        return response

    @app.get("/api/piece")
    def piece() -> Any:
        return jsonify(session.view())

    def _body(*keys: str) -> list[str]:
        data = request.get_json(silent=True) or {}
        missing = [k for k in keys if not isinstance(data.get(k), str)]
        if missing:
            raise errors.InputError.of(errors.SERVER_REQUEST_NEEDS_JSON, missing=', '.join(missing))
        return [data[k] for k in keys]

    @app.post("/api/label")
    def label() -> Any:
        session.label(*_body("id", "task", "label"))
        return jsonify(session.view())

    @app.post("/api/skip")
    def skip() -> Any:
        session.skip(*_body("id"))
        return jsonify(session.view())

    @app.post("/api/undo")
    def undo() -> Any:
        session.undo()
        return jsonify(session.view())

    return app


class AnnotationServer:
    """The page served on ``host:port`` (port 0 picks a free one); ``url`` includes the token.

    Args:
        session: The session to serve.
        host: Interface to bind (127.0.0.1: this machine only).
        port: Port, 0 for any free one.
        token: The access token (default: a fresh random one).
    """

    def __init__(self, session: AnnotationSession, *, host: str = "127.0.0.1", port: int = 0,
                 token: str | None = None) -> None:
        from werkzeug.serving import make_server

        self.session = session
        self.token = token or secrets.token_urlsafe(24)
        try:
            self._server = make_server(host, port, create_app(session, self.token), threaded=True)
        except OSError as exc:
            raise errors.ConfigError.of(errors.SERVER_CANNOT_LISTEN, host=host, port=port, detail=exc.strerror) from None
        self.host, self.port = host, self._server.server_port
        self._serving = threading.Event()

    @property
    def url(self) -> str:
        """The page's address, token included: open it in a browser."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/?token={self.token}"

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (or Ctrl-C in the calling thread)."""
        self._serving.set()
        try:
            self._server.serve_forever()
        finally:
            self._serving.clear()

    def shutdown(self) -> None:
        """Stop serving (if serving) and close the socket."""
        if self._serving.is_set():  # socketserver's shutdown() waits forever for a loop never started
            self._server.shutdown()
        self._server.server_close()
