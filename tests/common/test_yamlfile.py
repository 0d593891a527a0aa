"""flows/common/yamlfile.py reads gradfacts' own YAML files into the same data as ``yaml.safe_load``."""

from __future__ import annotations

from pathlib import Path

import yaml

from flows.common.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parents[2]


def test_every_reference_and_suite_file_reads_as_safe_load_reads_it():
    files = sorted((ROOT / "schemas" / "reference").glob("*.yaml")) + sorted(
        (ROOT / "schemas" / "expectations").glob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        assert load_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path.name


def test_dates_and_unicode_read_alike(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("when: 2026-12-01\nname: École Polytechnique — M.Sc.\nn: 0x1F\nflag: yes\n", encoding="utf-8")
    assert load_yaml(p) == yaml.safe_load(p.read_text(encoding="utf-8"))
