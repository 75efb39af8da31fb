"""The example of docs/python.md runs as written: its code blocks, in order, in one namespace."""

import os
import pathlib
import re

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "python.md"


def example_blocks():
    text = DOC.read_text(encoding="utf-8")
    example = text[text.index("\n## Example\n"):]
    return re.findall(r"```python\n(.*?)```", example, flags=re.S)


def test_the_example_of_the_python_page_runs_and_its_checks_hold(tmp_path, capsys):
    blocks = example_blocks()
    assert len(blocks) == 4
    namespace = {}
    here = os.getcwd()
    os.chdir(tmp_path)  # the example writes recovered.onnx
    try:
        for block in blocks:
            exec(compile(block, str(DOC), "exec"), namespace)
    finally:
        os.chdir(here)
    assert (tmp_path / "recovered.onnx").exists()
    assert "Model(d=8, k=3, l=5, bias=no)" in capsys.readouterr().out
