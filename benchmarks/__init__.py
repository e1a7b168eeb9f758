"""The briefing-tui benchmark suite (issue 4): ``python -m benchmarks [--quick]``.

Every scenario runs several times and runs its *reference* in the same process run
(this machine is noisy), then a table (median, min, max, reference, ratio, bar) is
printed and the figures are written under stable names to ``benchmarks/results.json``
(``--quick`` writes ``benchmarks/_data/results-quick.json``).

Modules: :mod:`benchmarks.corpora` (deterministic texts), :mod:`benchmarks.fixtures`
(databases), :mod:`benchmarks.frames` (how a frame is observed),
:mod:`benchmarks.driving` (first frame, key -> frame), :mod:`benchmarks.floor`
(the floor reader), :mod:`benchmarks.harness` (figures, bars, table, JSON) and
:mod:`benchmarks.scenarios` (one module per group).
"""
