"""Templates never decide by comparing a state or status with a string: the model or workflow says it in words."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent / "templates"
RAW_STATE = re.compile(r"""\.(state|status)\s*(==|!=|(not\s+)?in\s*[(\[])|selectattr\(\s*['"](state|status)['"]""")


def test_no_template_compares_a_raw_state():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted(ROOT.rglob("*")) if path.suffix in (".html", ".txt")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if RAW_STATE.search(line)]
    assert found == []


def test_the_check_sees_the_usual_ways_of_writing_it():
    for line in ("{% if case.state == 'invited' %}", "{% if entry.status != 'paid' %}",
                 "{% if case.state in ('active', 'expired') %}",
                 "{% set w = terms|selectattr('status', 'equalto', 'pending')|list %}"):
        assert RAW_STATE.search(line), line
    assert not RAW_STATE.search('<span class="tag state-{{ case.state }}">{{ case.state_label }}</span>')
