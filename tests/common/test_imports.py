"""flows/common/imports.py: a deferred module loads on first use and replaces its stand-in; a hidden package looks
not installed for the rest of the process; a stubbed module's names are placeholder classes."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from flows.common import imports


def test_a_deferred_module_loads_once_and_replaces_its_stand_in():
    name = "json.tool"  # a stdlib module nothing here imports
    sys.modules.pop(name, None)
    imports.defer([name])
    stand_in = sys.modules[name]
    assert type(stand_in).__name__ == "_Deferred" and "_gradfacts_real" not in stand_in.__dict__
    import json.tool as via_import  # an import of a module in sys.modules reads its __spec__: still not loaded

    assert via_import is stand_in and "_gradfacts_real" not in stand_in.__dict__
    assert callable(stand_in.main)  # first read: the real module loads
    real = sys.modules[name]
    import json

    assert real is not stand_in and stand_in.main is real.main and json.tool is real


HIDE = textwrap.dedent("""
    from flows.common import imports
    imports.hide(["xml"])
    try:
        import xml.dom
        print("imported")
    except ModuleNotFoundError as exc:
        print(exc.name)
""")


def test_hide_lasts_for_the_process():
    out = subprocess.run([sys.executable, "-c", HIDE], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "xml", out.stderr


STUB = textwrap.dedent("""
    import sys
    from flows.common import imports
    imports.stub(["xml.dom.minidom"])  # a stdlib module nothing here imports
    from xml.dom.minidom import Document, parseString
    assert "xml.dom.minidom" in sys.modules and not hasattr(sys.modules["xml.dom.minidom"], "__file__")
    assert isinstance(Document, type) and not isinstance(object(), Document)
    assert Document is sys.modules["xml.dom.minidom"].Document  # one class per name
    try:
        Document()
    except RuntimeError as exc:
        print(exc)
""")


def test_a_stubbed_module_gives_placeholder_classes_that_refuse_to_be_made():
    p = subprocess.run([sys.executable, "-c", STUB], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == ("xml.dom.minidom.Document is not loaded in this process "
                                "(stubbed by gradfacts: not used here)")
