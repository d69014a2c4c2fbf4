"""Regenerate lesson 0's picture of the Spark UI showing one job (``stepper/pages/assets/``).

    .venv/bin/python tools/spark_ui_screenshot.py [--out PATH] [--partitions 4]

Starts Spark in local mode with its web UI on a free port, runs one small real job (the churn
file read with ``textFile`` into N partitions, then ``count``: one job, one stage, N tasks),
opens the UI's page for that job (``/jobs/job/?id=0``) in headless Chromium (Playwright, the
Chromium ``tools/browser.py`` finds), opens the DAG visualization, and saves a palette PNG
(kept under 150 KB).
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "stepper", "pages", "assets", "spark_ui_job.png")
MAX_BYTES = 150_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_job(partitions: int) -> tuple[object, int]:
    """A SparkSession with its UI on a free port, after one job; (session, port)."""
    sys.path.insert(0, ROOT)
    from stepper.session import spark_session

    port = free_port()
    os.environ.pop("STEPPER_UI_PORT", None)
    spark = spark_session(master="local[2]", app_name="lesson 0: one job", ui_port=port)
    sc = spark.sparkContext
    sc.setJobDescription("count the rows of churn.csv")
    lines = sc.textFile(os.path.join(ROOT, "data", "churn.csv"), minPartitions=partitions)
    print(f"{lines.count()} lines in {lines.getNumPartitions()} partitions")
    return spark, port


def screenshot(url: str, out: str) -> int:
    """Save the page at ``url`` as a palette PNG; its size in bytes."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from browser import find
    from PIL import Image
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 720}, device_scale_factor=1)
        page.goto(url, wait_until="networkidle")
        dag = page.locator("#job-dag-viz")
        if dag.count():
            dag.first.click()
            page.wait_for_timeout(1500)
        png = page.screenshot(full_page=False)
        browser.close()
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64)
    image.save(out, format="PNG", optimize=True)
    return os.path.getsize(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=OUT)
    parser.add_argument("--partitions", type=int, default=4)
    args = parser.parse_args()
    spark, port = run_job(args.partitions)
    try:
        size = screenshot(f"http://127.0.0.1:{port}/jobs/job/?id=0", args.out)
    finally:
        spark.stop()  # type: ignore[attr-defined]
    print(f"{args.out}: {size} bytes")
    if size > MAX_BYTES:
        print(f"larger than {MAX_BYTES} bytes: lower the colours or the viewport", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
