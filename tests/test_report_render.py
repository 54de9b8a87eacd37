"""CI renders a full city draft the way a person checks it: .docx -> PDF (LibreOffice) -> PNG (poppler).

The pages land in artifacts/report/ to be looked at; the test checks what a reader would: the PDF
opens, holds the title, the seed-style sentences and the appendix, and every page renders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("libreoffice") is None or shutil.which("pdftoppm") is None,
    reason="needs libreoffice-writer and poppler-utils (.ci/run installs them)",
)


def test_a_city_draft_renders_to_pdf_and_png(tmp_path, sample_db):
    out = ROOT / "artifacts" / "report"
    out.mkdir(parents=True, exist_ok=True)
    docx = out / "安康市_2017年以来_经验材料.docx"
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "rolgov.report",
            "draft",
            "--scope",
            "610900",
            "--year",
            "2018",
            "--since",
            "2017",
            "--out",
            str(docx),
            "--db",
            str(sample_db),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    profile = tmp_path / "lo-profile"
    converted = subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = docx.with_suffix(".pdf")
    assert pdf.exists(), converted.stdout + converted.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "安康市创建法治政府建设示范市经验材料" in flat
    assert "本稿数据为示例数据" in flat
    assert "2017年以来，全市各级行政机关共召开各类听证会50余次" in flat
    assert "数据来源" in flat
    for old in out.glob("page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / "page")], check=True, timeout=300)
    pages = sorted(out.glob("page-*.png"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert count >= 8 and len(pages) == count
    assert all(p.stat().st_size > 5_000 for p in pages)  # a blank page is a few hundred bytes
