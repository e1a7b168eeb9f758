"""The scenario groups, in the order they run.

Each module has ``NAMES`` (the stable figure names it produces, also when it cannot
run) and ``run(fixtures) -> list[Figure]``. A group whose module under test is not
importable yet is reported as "missing", never faked.
"""

GROUPS = (
    "open_doc",
    "keys",
    "changes",
    "store_ops",
    "sidebar",
    "picker",
    "importing",
    "exporting",
    "speakers",
    "library_scale",
    "cold_start",
    "rss",
    "search",
    "find",
    "attribution",
    "review",
    "open_path",
    "import_rss",
)
