"""A real browser for the tests: Debian's Chromium driven by Selenium, headless, its own profile, no network
beyond what the page asks for. A missing Chromium skips the test locally with the reason; under CI it fails."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


@contextmanager
def chromium(profile: Path, width: int = 1200, height: int = 1600) -> Iterator[Any]:
    """A headless Chromium reading Chinese first (Accept-Language zh-TW), quit on leaving."""
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (binary and driver):
        reason = "Debian chromium and chromium-driver are not installed"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + "; CI must install them")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "--lang=zh-TW",
    ):
        opts.add_argument(flag)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "zh-TW,zh"})
    browser = webdriver.Chrome(service=Service(executable_path=driver), options=opts)
    try:
        yield browser
    finally:
        browser.quit()
