"""Rendering many jobs: ``relu-anim render`` and ``relu-anim gallery`` call into here.

One module per job, in the order a request flows through them:

- ``choices``: the one definition of qualities (Manim's own table), formats and themes;
- ``plan``: a request (CLI arguments, lecture.toml, ``--set``) -> validated ``Job``s;
- ``cache``: cache keys of jobs and the request fingerprint (one hashing scheme);
- ``worker``: one job inside its worker process; the only module that touches Manim's config
  (``render_scene`` is reusable by other commands);
- ``executor``: running jobs in worker processes (signals, clean-up, live progress);
- ``dask_executor``: the same jobs on a Dask distributed cluster (``--executor dask``);
- ``run``: a batch from plan to summary (skip unchanged jobs, record, gallery, no-op path);
- ``manifest``: ``OUT/manifest.json`` as typed records;
- ``gallery``: ``OUT/index.html``; ``summary``: outcomes and the final table.

Importing this package (and ``choices``, ``cache``, ``run``) does not import Manim: the no-op
path of ``relu-anim render`` answers a repeated request in a fraction of a second.
"""
