"""Hypothesis profiles for the property tests (all of them live under tests/core).

* default (a developer's run): random examples, a fresh seed each run. A failure prints the
  example and a ``@reproduce_failure`` blob, and Hypothesis replays it first next time from
  its example database (``.hypothesis/``); ``pytest --hypothesis-seed N`` repeats a run.
* ``ci``, loaded when the environment variable ``CI`` is set (GitHub Actions, GitLab and most
  others set ``CI=true``): ``derandomize=True``, so every run tries the same examples (each
  test's examples are a fixed function of the test), no example database, and the
  reproduction blob printed on failure. A red CI run is then red again on a re-run and on a
  laptop with ``CI=true``. Hypothesis >= 6.131 has the same built-in profile and loads it
  on more CI variables; it is registered here too because pyproject allows older versions.
* ``pytest --hypothesis-profile NAME`` picks a profile explicitly.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    print_blob=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
    settings.load_profile("ci")
