"""``relu-anim numbers``: a scene's numbers as JSON, from its compute hook, without rendering."""

from __future__ import annotations

import json

import pytest

from relu_anim.cli import main
from relu_anim.lecture.registry import discover


@pytest.mark.parametrize("name", list(discover()))
def test_numbers_are_the_scenes_summary_of_its_computation(capsys, name):
    main(["numbers", name])
    out = json.loads(capsys.readouterr().out)
    cls = discover()[name]
    expected = json.loads(json.dumps(cls.summarize(cls.compute(cls.Params()))))
    assert out["scene"] == name and out["numbers"] == expected


def test_a_set_value_reaches_the_computation(capsys):
    main(["numbers", "HingeStacking", "--set", "units=3"])
    out = json.loads(capsys.readouterr().out)
    assert out["params"]["units"] == 3 and out["numbers"]["units"] == 3


@pytest.mark.parametrize(
    "args",
    [["numbers", "NoSuchScene"], ["numbers", "HingeStacking", "--set", "units=0"]],
)
def test_bad_requests_are_one_line_errors(capsys, args):
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.startswith("error: ") and len(err.splitlines()) == 1
