"""The benchmark suite behind `visiblework bench`: a synthetic data generator (generate.py)
and the measurements (run.py and its helpers). See docs/performance.md.

Nothing here runs in a request: the package ships with the install so that any instance can
measure itself with the same code the project's published figures came from."""
