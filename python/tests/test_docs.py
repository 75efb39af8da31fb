"""The Python of the docs runs as written: the example of docs/python.md (its code blocks, in order, in one
namespace) and the README's snippet."""

import os
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "python.md"
README = ROOT / "README.md"


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


def test_the_python_snippet_of_the_readme_runs(tmp_path, capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1
    here = os.getcwd()
    os.chdir(tmp_path)  # it writes model.onnx
    try:
        exec(compile(blocks[0], str(README), "exec"), {})
    finally:
        os.chdir(here)
    assert (tmp_path / "model.onnx").exists()
    assert capsys.readouterr().out.startswith("5 ")
