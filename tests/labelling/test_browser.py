"""The annotation page in a real headless Chromium: label three pieces by keyboard, undo one,
reload, and read the labels file back.

Needs Debian's ``chromium`` and ``chromium-driver`` (.ci/run installs them) and selenium (the
test extra). Where they are missing the test is skipped, unless CI=1 (.ci/run sets it), where it
fails instead. FRAMING_SCREENSHOT=PATH saves the page as PNG (docs/img/annotate.png).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.labelling import LabelWriter, read_label_log
from pipeline.labelling.codebook import read_codebook
from pipeline.labelling.server import AnnotationServer
from pipeline.labelling.session import AnnotationSession

from ..conftest import SAMPLE

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,860")


def _require_browser():
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    if missing:
        message = f"the browser test needs {', '.join(missing)} (apt-get install -y chromium chromium-driver)"
        if os.environ.get("CI") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def browser(tmp_path):
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager look for drivers online
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


@pytest.fixture
def served(tmp_path, small_model, sample_pieces):
    from pipeline.inference.framer import Framer

    pieces = [replace(p, labels={}) for p in sample_pieces[1::2][:40]]  # pieces the model did not see
    labels = tmp_path / "labels.jsonl"
    session = AnnotationSession(pieces, ["stance"], LabelWriter(labels, "ann"), framer=Framer(small_model[0]),
                                codebook=read_codebook(SAMPLE / "CODEBOOK.md"), batch=10)
    server = AnnotationServer(session)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, labels
    server.shutdown()
    thread.join(10)


def _wait(driver, condition, timeout=60):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: condition(d))


def _ready(driver):
    return driver.find_element("tag name", "body").get_attribute("data-state") == "ready"


def _piece(driver):
    return driver.find_element("tag name", "body").get_attribute("data-piece")


def _press(driver, key):
    """Press ``key`` and wait for the page to show what the server answered."""
    before = driver.find_element("tag name", "body").get_attribute("data-saves")
    driver.find_element("tag name", "body").send_keys(key)
    _wait(driver, lambda d: _ready(d) and d.find_element("tag name", "body").get_attribute("data-saves") != before)


def test_label_three_by_keyboard_undo_reload(browser, served):
    server, labels = served
    driver = browser
    driver.get(server.url.split("?")[0])
    assert "403" in driver.page_source or "Forbidden" in driver.page_source  # no token, no page
    driver.get(server.url)
    _wait(driver, _ready)
    names = [b.get_attribute("data-label") for b in driver.find_elements("css selector", "button.label")]
    assert names == ["neutral", "oppose", "support"]
    assert "The piece argues for the target" in driver.page_source  # the codebook's definition of support
    assert "model's guess:" in driver.find_element("css selector", "section.active").text
    assert driver.find_elements("css selector", ".text mark")  # entities highlighted
    if os.environ.get("FRAMING_SCREENSHOT"):
        driver.save_screenshot(os.environ["FRAMING_SCREENSHOT"])
    done = []
    for key, label in (("2", "oppose"), ("3", "support"), ("1", "neutral")):
        done.append((_piece(driver), label))
        _press(driver, key)
        assert _piece(driver) not in [pid for pid, _ in done]
    _press(driver, "u")  # takes back the third label: its piece is shown again, unlabelled
    assert _piece(driver) == done[2][0]
    assert not driver.find_elements("css selector", "button.label.mine")
    driver.refresh()
    _wait(driver, _ready)
    assert _piece(driver) == done[2][0]
    log = read_label_log(labels, missing_ok=False)
    assert [(r["id"], r["label"]) for r in log.labels] == done[:2]
    ops = [json.loads(line)["op"] for line in labels.read_text().splitlines()]
    assert ops == ["label", "label", "label", "undo"]
