"""The example lecture file plans: its scenes exist and every parameter it sets is valid."""

from __future__ import annotations

from pathlib import Path

from relu_anim.batch.plan import Request, plan_request

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "lecture.toml"


def test_the_example_lecture_file_plans(tmp_path):
    plan = plan_request(Request(config_file=EXAMPLE, out=tmp_path / "out"))
    names = [job.scene for job in plan.jobs]
    assert names[:3] == ["HingeStacking", "LinearCollapse", "GatesAsIfs"]
    assert all(job.quality == "medium" for job in plan.jobs)
