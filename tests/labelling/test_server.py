"""The annotation page's server: the token, the API, and labels that survive a kill -9."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from pipeline.corpus import Piece
from pipeline.labelling import LabelWriter, read_label_log
from pipeline.labelling.server import TOKEN_HEADER, AnnotationServer, create_app
from pipeline.labelling.session import AnnotationSession

from ..conftest import ROOT

TEXTS = [
    "The council voted to expand the bus network across the northern suburbs.",
    "Residents packed the hall to oppose the new parking charge in the old town.",
    "A judge paused the wind farm permit while the fishing group's appeal is heard.",
    "The school board will publish its phone policy draft next week.",
    "Shop owners say the wage rise will force them to cut hours this winter.",
]


def _write_corpus(path):
    with open(path, "w") as handle:
        for i, text in enumerate(TEXTS):
            handle.write(json.dumps({"id": f"t{i}", "text": text, "source": f"Outlet {i % 2}",
                                     "target": "the plan"}) + "\n")


@pytest.fixture
def client(tmp_path):
    pieces = [Piece(id=f"t{i}", text=t) for i, t in enumerate(TEXTS)]
    session = AnnotationSession(pieces, ["stance"], LabelWriter(tmp_path / "labels.jsonl", "ann"),
                                label_sets={"stance": ["oppose", "support"]})
    return create_app(session, "s3cret").test_client(), tmp_path / "labels.jsonl"


def test_requests_without_the_token_are_refused(client):
    app, _ = client
    assert app.get("/").status_code == 403
    assert app.get("/?token=wrong").status_code == 403
    assert app.get("/api/piece").status_code == 403
    assert app.post("/api/label", json={"id": "t0", "task": "stance", "label": "oppose"}).status_code == 403
    page = app.get("/?token=s3cret")
    assert page.status_code == 200 and b"framing annotate" in page.data
    assert "nonce-" in page.headers["Content-Security-Policy"] and page.headers["X-Frame-Options"] == "DENY"


def test_the_api_labels_skips_and_undoes(client):
    app, path = client
    headers = {TOKEN_HEADER: "s3cret"}
    view = app.get("/api/piece", headers=headers).get_json()
    first = view["piece"]["id"]
    view = app.post("/api/label", json={"id": first, "task": "stance", "label": "support"}, headers=headers).get_json()
    assert view["piece"]["id"] != first and view["status"]["labelled"] == 1
    view = app.post("/api/skip", json={"id": view["piece"]["id"]}, headers=headers).get_json()
    view = app.post("/api/undo", headers=headers).get_json()
    assert view["status"]["skipped"] == 0
    bad = app.post("/api/label", json={"id": first, "task": "stance", "label": "maybe"}, headers=headers)
    assert bad.status_code == 400 and "use one of" in bad.get_json()["error"]
    assert app.post("/api/label", json={"id": 3}, headers=headers).status_code == 400
    assert [(r["id"], r["label"]) for r in read_label_log(path).labels] == [(first, "support")]


def test_the_server_binds_localhost_and_prints_a_token_url(tmp_path):
    session = AnnotationSession([Piece(id="a", text="Some words here.")], ["stance"],
                                LabelWriter(tmp_path / "l.jsonl", "ann"), label_sets={"stance": ["x", "y"]})
    server = AnnotationServer(session)
    try:
        assert server.url.startswith(f"http://127.0.0.1:{server.port}/?token=") and len(server.token) >= 24
    finally:
        server.shutdown()


def _post(url, token, path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={TOKEN_HEADER: token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def test_labels_survive_killing_the_server(tmp_path):
    """Start ``framing annotate``, post three labels, kill -9 it, read the labels file back."""
    corpus, labels = tmp_path / "corpus.jsonl", tmp_path / "labels.jsonl"
    _write_corpus(corpus)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from pipeline.cli import main; main()", "annotate", str(corpus), "--labels",
         str(labels), "--task", "stance", "--no-model", "--label-set", "stance=oppose,support,neutral",
         "--annotator", "ann", "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
        url = None
        while url is None:
            line = lines.get(timeout=120)
            if line.startswith("open http://127.0.0.1:"):
                url = line.split()[1]
        base, token = url.split("/?token=")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/api/piece", timeout=30)
        assert refused.value.code == 403
        request = urllib.request.Request(base + "/api/piece", headers={TOKEN_HEADER: token})
        view = json.load(urllib.request.urlopen(request, timeout=120))
        posted = []
        for label in ("oppose", "support", "neutral"):
            posted.append((view["piece"]["id"], label))
            view = _post(base, token, "/api/label", {"id": view["piece"]["id"], "task": "stance", "label": label})
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log = read_label_log(labels, missing_ok=False)
    assert [(r["id"], r["label"]) for r in log.labels] == posted
    assert all(r["annotator"] == "ann" and r["task"] == "stance" for r in log.labels) and log.problems == []
