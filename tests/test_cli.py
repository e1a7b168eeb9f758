"""The command line, driven through click's CliRunner (and once as a real process)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from briefing_tui import cli as cli_mod
from briefing_tui import paths
from briefing_tui.cli import cli
from briefing_tui.core.store import Store
from tests.corpus import CORPUS, needs_corpus

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_briefings"
CORPUS_TITLES = [
    "Department Press Briefing – May 31, 2022",
    ("Press Briefing by Press Secretary Karoline Leavitt, Deputy Chief of Staff Stephen Miller, "
     "National Economic Council Director Kevin Hassett, and National Security Advisor Mike Waltz"),
    "Russia's goals in its war against Ukraine are incompatible with US President Donald",
    "Відповіддю на спробу «рубльової окупації» Херсонської та Запорізької областей",
]


@pytest.fixture()
def runner(monkeypatch, tmp_path: Path) -> CliRunner:
    # Never touch the real user data dir: the default database lives in tmp_path.
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    monkeypatch.setattr(paths, "default_db_path", lambda: tmp_path / "default" / "briefings.db")
    return CliRunner()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(cli, list(args), env=env, catch_exceptions=False)


def assert_error(result, fragment: str, code: int = 1) -> None:
    """One stderr line, prefixed, holding ``fragment``; a non-zero exit; no traceback."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("briefing-tui: error: ")
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.stdout + result.stderr


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- import

def test_import_prints_one_line_per_file(runner, db: Path) -> None:
    result = run(runner, "import", str(SAMPLES), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len([p for p in SAMPLES.iterdir() if p.suffix in (".md", ".txt")])
    assert lines[0].startswith("added      Kremlin signals no quick truce")
    assert lines[0].endswith(")")
    again = run(runner, "import", str(SAMPLES), "--db", str(db))
    assert all(line.startswith("unchanged  ") for line in again.stdout.splitlines())


def test_import_changed_file_reports_update(runner, db: Path, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Title line\n\nThe minister said talks were \"going well\".\n", encoding="utf-8")
    run(runner, "import", str(f), "--db", str(db))
    with Store(db) as store:
        [info] = store.list_briefings()
        text = store.get_briefing(info.id).document.text
        store.create_highlight(info.id, text.index("going well"), text.index("going well") + 10)
    f.write_text("Title line\n\nNew lead.\n\nThe minister said talks were \"going well\".\n",
                 encoding="utf-8")
    result = run(runner, "import", str(f), "--db", str(db))
    assert result.exit_code == 0
    assert result.stdout.startswith("updated    Title line  (")
    assert result.stdout.rstrip().endswith("(1 re-anchored, 0 orphaned)")


def test_import_with_encoding(runner, db: Path, tmp_path: Path) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes("Café briefing\n\nText.\n".encode("cp1252"))
    refused = run(runner, "import", str(f), "--db", str(db))
    assert_error(refused, "--encoding")
    assert "offset 3" in refused.stderr
    ok = run(runner, "import", str(f), "--encoding", "cp1252", "--db", str(db))
    assert ok.exit_code == 0 and "Café briefing" in ok.stdout


@pytest.mark.parametrize("case", ["missing", "empty", "binary", "bad utf-8", "no briefings",
                                  "unsupported"])
def test_import_refusals_leave_the_database_as_it_was(runner, db: Path, tmp_path: Path,
                                                      case: str) -> None:
    run(runner, "import", str(SAMPLES), "--db", str(db))
    before = file_hash(db)
    bad = tmp_path / "bad"
    bad.mkdir()
    target = {
        "missing": bad / "nope.md",
        "empty": bad / "empty.md",
        "binary": bad / "blob.txt",
        "bad utf-8": bad / "latin.txt",
        "no briefings": bad,
        "unsupported": bad / "x.pdf",
    }[case]
    if case == "empty":
        target.write_text("   \n")
    elif case == "binary":
        target.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    elif case == "bad utf-8":
        target.write_bytes(b"caf\xe9")
    elif case == "unsupported":
        target.write_bytes(b"%PDF")
    fragment = {"missing": "no such file", "empty": "empty file", "binary": "binary file",
                "bad utf-8": "not valid UTF-8", "no briefings": "no briefings",
                "unsupported": "unsupported file type"}[case]
    result = run(runner, "import", str(target), "--db", str(db))
    assert_error(result, fragment)
    assert result.stdout == ""
    assert file_hash(db) == before


@needs_corpus
def test_import_corpus_then_list_shows_the_four_titles(runner, db: Path) -> None:
    result = run(runner, "import", str(CORPUS), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 4
    listing = run(runner, "list", "--db", str(db))
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["id", "published", "highlights", "orphans", "changed", "source",
                                 "title"]
    assert len(lines) == 5
    for title in CORPUS_TITLES:
        assert sum(title in line for line in lines[1:]) == 1, title
    wh = next(line for line in lines if "Karoline Leavitt" in line)
    assert "2025-02-20" in wh


# --------------------------------------------------------------------------- list

def test_list_counts_highlights_and_orphans(runner, db: Path) -> None:
    run(runner, "import", str(SAMPLES / "kremlin-signals-no-quick-truce.md"), "--db", str(db))
    with Store(db) as store:
        [info] = store.list_briefings()
        text = store.get_briefing(info.id).document.text
        for quote in ("instant results", "root causes"):
            store.create_highlight(info.id, text.index(quote), text.index(quote) + len(quote))
    listing = run(runner, "list", "--db", str(db))
    [row] = listing.stdout.splitlines()[1:]
    cells = row.split()
    assert cells[0] == info.id[:8]
    assert cells[1:4] == ["2025-03-20", "2", "0"]
    assert row.endswith("Kremlin signals no quick truce as Washington presses for a ceasefire")


LEDE = ("Moscow's aims in the conflict are at odds with the stated goal of the allies of "
        "achieving a durable settlement along the whole of the eastern border.")


def test_list_cuts_whole_titles_only_on_a_terminal(runner, db: Path, tmp_path: Path,
                                                   monkeypatch) -> None:
    wire = tmp_path / "wire.txt"
    wire.write_text(f"{LEDE} An agency writes.\n\nDetails\n\nBody.\n", encoding="utf-8")
    run(runner, "import", str(wire), "--db", str(db))
    piped = run(runner, "list", "--db", str(db)).stdout.splitlines()
    assert piped[1].endswith(LEDE)  # piped or redirected: whole
    monkeypatch.setattr(cli_mod, "_terminal_columns", lambda: 100)
    shown = run(runner, "list", "--db", str(db)).stdout.splitlines()
    assert all(len(line) <= 100 for line in shown), shown
    assert shown[1].endswith("…") and LEDE.startswith(shown[1].split("  ")[-1][:-1])
    monkeypatch.setattr(cli_mod, "_terminal_columns", lambda: 20)  # never below 30 columns
    assert run(runner, "list", "--db", str(db)).stdout.splitlines()[1].endswith(
        "Moscow's aims in the…")
    # Stored whole: the export's front matter and heading carry all of it.
    out = run(runner, "export", "allies", "--db", str(db)).stdout.splitlines()
    assert out[1] == f"title: {LEDE}" and f"# {LEDE}" in out


def test_ambiguous_reference_lists_id_prefixes_to_choose_from(runner, db: Path,
                                                              tmp_path: Path) -> None:
    for name, body in (("a.txt", "First text."), ("b.txt", "Second text."),
                       ("c.txt", "Third text.")):
        title = "Russia\x1b[2J" if name != "c.txt" else "Ukraine"
        (tmp_path / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    run(runner, "import", str(tmp_path), "--db", str(db))
    with Store(db) as store:
        ids = {Path(i.path).name: i.id for i in store.list_briefings()}
    result = run(runner, "export", "Russia", "--db", str(db))
    assert_error(result, "'Russia' matches 2 briefings; name one by its id: ")
    line = result.stderr.splitlines()[0]
    assert f"{ids['a.txt'][:8]} “Russia␛[2J”" in line and f"{ids['b.txt'][:8]} “Russia␛[2J”" in line
    assert "\x1b" not in result.stderr
    chosen = run(runner, "export", ids["b.txt"][:8], "--format", "json", "--db", str(db))
    assert chosen.exit_code == 0, chosen.stderr
    assert f"urn:uuid:{ids['b.txt']}" in chosen.stdout
    assert f"urn:uuid:{ids['a.txt']}" not in chosen.stdout


def test_list_counts_changed_highlights(runner, db: Path, tmp_path: Path) -> None:
    source = tmp_path / "month.txt"
    quote = "The President has already signed 73 executive orders"
    source.write_text(f"One month in.\n\nToday, {quote}, more than anyone.\n", encoding="utf-8")
    run(runner, "import", str(source), "--db", str(db))
    with Store(db) as store:
        [info] = store.list_briefings()
        text = store.get_briefing(info.id).document.text
        store.create_highlight(info.id, text.index(quote), text.index(quote) + len(quote))
    source.write_text(source.read_text(encoding="utf-8").replace("73", "74"), encoding="utf-8")
    run(runner, "import", str(source), "--db", str(db))
    header, row = run(runner, "list", "--db", str(db)).stdout.splitlines()
    assert header.split()[:5] == ["id", "published", "highlights", "orphans", "changed"]
    assert row.split()[1:4] == ["1", "0", "1"]  # no published date: highlights, orphans, changed


@pytest.mark.parametrize("command", [["list"], ["export"], ["export", "truce", "-o", "x.md"]])
@pytest.mark.parametrize("how", ["--db", "env", "default"])
def test_read_commands_on_a_missing_database_say_so_and_create_nothing(
        runner, tmp_path: Path, command: list[str], how: str) -> None:
    missing = tmp_path / "default" / "briefings.db" if how == "default" else tmp_path / "no.db"
    command = [str(tmp_path / arg) if arg.endswith(".md") else arg for arg in command]
    args = [*command, "--db", str(missing)] if how == "--db" else command
    env = {paths.DB_ENV: str(missing)} if how == "env" else None
    before = sorted(tmp_path.rglob("*"))
    result = run(runner, *args, env=env)
    assert_error(result, f"no database at {missing}")
    assert result.stdout == ""
    assert sorted(tmp_path.rglob("*")) == before  # no file, no folder


def test_missing_database_message_escapes_the_path(runner, tmp_path: Path) -> None:
    missing = tmp_path / "bad\x1b[31m.db"
    result = run(runner, "list", "--db", str(missing))
    assert_error(result, "bad\\x1b[31m.db")
    assert "\x1b" not in result.stderr
    assert not missing.exists()


def test_list_on_an_empty_database_imports_no_samples(runner, db: Path) -> None:
    Store(db).close()
    result = run(runner, "list", "--db", str(db))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout.startswith("No briefings yet.")
    with Store(db) as s:
        assert s.list_briefings() == []


# --------------------------------------------------------------------------- database choice

def test_env_var_and_db_option_choose_the_database(runner, tmp_path: Path) -> None:
    env_db = tmp_path / "env.db"
    opt_db = tmp_path / "opt.db"
    one = str(SAMPLES / "ministry-press-briefing-2025-03-18.txt")
    two = str(SAMPLES / "us-warns-of-kherson-annexation-plans.txt")
    assert run(runner, "import", one, env={paths.DB_ENV: str(env_db)}).exit_code == 0
    assert run(runner, "import", two, "--db", str(opt_db),
               env={paths.DB_ENV: str(env_db)}).exit_code == 0
    with Store(env_db) as s:
        assert [b.title for b in s.list_briefings()] == ["Ministry Press Briefing – March 18, 2025"]
    with Store(opt_db) as s:
        assert [b.title for b in s.list_briefings()] == [
            "US warns Moscow is preparing to annex Ukraine's Kherson region"]
    # --db before the subcommand works too
    listing = run(runner, "--db", str(opt_db), "list")
    assert "Kherson" in listing.stdout and "Ministry" not in listing.stdout


def test_default_database_is_used_without_option_or_env(runner, tmp_path: Path) -> None:
    result = run(runner, "import", str(SAMPLES / "kremlin-signals-no-quick-truce.md"))
    assert result.exit_code == 0
    assert (tmp_path / "default" / "briefings.db").exists()


def test_paths_module_defaults(monkeypatch) -> None:
    monkeypatch.delenv(paths.DB_ENV, raising=False)
    assert paths.default_db_path().parts[-2:] == ("briefing-tui", "briefings.db")
    assert paths.db_path() == paths.default_db_path()
    monkeypatch.setenv(paths.DB_ENV, "/tmp/x/env.db")
    assert paths.db_path() == Path("/tmp/x/env.db")
    assert paths.db_path("/tmp/y/opt.db") == Path("/tmp/y/opt.db")
    assert paths.samples_dir() == SAMPLES


def test_not_a_database_is_one_line(runner, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("this is not sqlite at all, just text " * 10)
    before = file_hash(junk)
    result = run(runner, "list", "--db", str(junk))
    assert_error(result, "not SQLite")
    assert file_hash(junk) == before


# --------------------------------------------------------------------------- export

@pytest.fixture()
def annotated(runner, db: Path) -> str:
    run(runner, "import", str(SAMPLES), "--db", str(db))
    with Store(db) as store:
        info = store.resolve_briefing("Kremlin signals")
        text = store.get_briefing(info.id).document.text
        peskov = store.create_speaker("Dmitry Peskov", role="Kremlin spokesman")
        h = store.create_highlight(info.id, text.index("instant results"),
                                   text.index("instant results") + len("instant results"))
        store.set_speaker(h.id, peskov.id)
        store.set_stance(h.id, store.stance_by_key(2).id)
        return info.id


def test_export_markdown_to_stdout_by_title_fragment(runner, db: Path, annotated: str) -> None:
    result = run(runner, "export", "quick truce", "--db", str(db))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("---\ntitle: Kremlin signals no quick truce")
    assert "## Dmitry Peskov — Kremlin spokesman\n\n> instant results\n\n- Stance: opposes" in out
    by_id = run(runner, "export", annotated[:8], "--db", str(db))
    by_path = run(runner, "export", str(SAMPLES / "kremlin-signals-no-quick-truce.md"),
                  "--db", str(db))
    assert by_id.stdout == out == by_path.stdout


def test_export_formats_and_grouping(runner, db: Path, annotated: str) -> None:
    as_json = json.loads(run(runner, "export", annotated, "--format", "json", "--db",
                             str(db)).stdout)
    assert as_json["total"] == 1
    as_csv = run(runner, "export", annotated, "--format", "csv", "--db", str(db)).stdout
    assert as_csv.splitlines()[1].startswith("Kremlin signals no quick truce")
    by_stance = run(runner, "export", annotated, "--group-by", "stance", "--db", str(db)).stdout
    assert "\n## opposes\n" in by_stance
    everything = run(runner, "export", "--db", str(db)).stdout
    assert "briefings: 4" in everything


def test_export_to_file_is_atomic_and_refuses_overwrite(runner, db: Path, annotated: str,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    first = run(runner, "export", annotated, "-o", str(out), "--db", str(db))
    assert first.exit_code == 0 and first.stdout == f"wrote {out}\n"
    content = out.read_bytes()
    assert content.startswith(b"---\ntitle: Kremlin")
    again = run(runner, "export", annotated, "--format", "csv", "-o", str(out), "--db", str(db))
    assert_error(again, "already exists; use --force")
    assert out.read_bytes() == content
    forced = run(runner, "export", annotated, "--format", "csv", "-o", str(out), "--force",
                 "--db", str(db))
    assert forced.exit_code == 0
    assert out.read_bytes().startswith(b"briefing,start,end")


def test_export_errors_are_one_line(runner, db: Path, annotated: str, tmp_path: Path) -> None:
    assert_error(run(runner, "export", "no such briefing", "--db", str(db)), "no briefing matches")
    assert_error(run(runner, "export", "-o", str(tmp_path / "missing" / "r.md"), "--db", str(db)),
                 "does not exist")
    ambiguous = run(runner, "export", "a", "--db", str(db))
    assert_error(ambiguous, "matches")


def test_export_of_empty_database(runner, tmp_path: Path) -> None:
    Store(tmp_path / "empty.db").close()
    assert_error(run(runner, "export", "--db", str(tmp_path / "empty.db")), "no briefings")


# --------------------------------------------------------------------------- usage errors

def test_usage_errors_are_one_line_with_exit_2(runner, db: Path) -> None:
    assert_error(run(runner, "export", "--format", "pdf", "--db", str(db)), "pdf", code=2)
    assert_error(run(runner, "import", "--db", str(db)), "Missing argument", code=2)
    assert_error(run(runner, "list", "--bogus"), "No such option", code=2)


def test_unexpected_exceptions_are_one_line(runner, db: Path, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("kaboom\nsecond line")

    monkeypatch.setattr(cli_mod, "import_paths", boom)
    result = run(runner, "import", str(SAMPLES), "--db", str(db))
    assert_error(result, "unexpected RuntimeError: kaboom")


def test_help_and_version(runner) -> None:
    helped = run(runner, "--help")
    assert helped.exit_code == 0
    for command in ("import", "list", "export"):
        assert command in helped.stdout
    assert run(runner, "--version").stdout.startswith("briefing-tui, version ")
    assert "--group-by" in run(runner, "export", "--help").stdout


# --------------------------------------------------------------------------- the app launch

class FakeApp:
    """Stands in for BriefingApp: records how it was built and run."""

    made: ClassVar[list[tuple[object, object]]] = []

    def __init__(self, store, open_briefing_id=None) -> None:
        FakeApp.made.append((store, open_briefing_id))
        self.titles = [b.title for b in store.list_briefings()]

    def run(self) -> None:
        FakeApp.made.append(("ran", self.titles))


@pytest.fixture()
def fake_app(monkeypatch):
    import briefing_tui.ui.app as app_module

    FakeApp.made = []
    monkeypatch.setattr(app_module, "BriefingApp", FakeApp)
    return FakeApp


def test_launch_with_paths_imports_and_opens_the_first(runner, db: Path, fake_app) -> None:
    analysis = SAMPLES / "kremlin-signals-no-quick-truce.md"
    wire = SAMPLES / "us-warns-of-kherson-annexation-plans.txt"
    result = run(runner, str(analysis), str(wire), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    (_store, opened), (ran, titles) = fake_app.made
    assert ran == "ran"
    assert len(titles) == 2
    with Store(db) as s:
        assert opened == s.resolve_briefing(str(analysis)).id
    # a second launch with the same file imports nothing new and opens it again
    fake_app.made = []
    again = run(runner, "--db", str(db), str(analysis))
    assert again.stderr == ""
    assert fake_app.made[0][1] == opened


def test_first_start_on_the_default_database_imports_samples(runner, tmp_path: Path,
                                                              fake_app) -> None:
    result = run(runner)
    assert result.exit_code == 0
    assert "first run: imported 4 sample briefings" in result.stderr
    (_store, opened), (ran, titles) = fake_app.made
    assert ran == "ran"
    assert opened is None
    assert len(titles) == 4
    fake_app.made = []
    run(runner)
    assert len(fake_app.made[1][1]) == 4  # not imported twice
    # Deleting every briefing does not bring the samples back.
    default = tmp_path / "default" / "briefings.db"
    with Store(default) as s:
        ids = [b.id for b in s.list_briefings()]
    with sqlite3.connect(default) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executemany("DELETE FROM briefings WHERE id = ?", [(i,) for i in ids])
    conn.close()
    fake_app.made = []
    again = run(runner)
    assert again.stderr == ""
    assert fake_app.made[1][1] == []


@pytest.mark.parametrize("how", ["--db", "env"])
def test_start_on_a_chosen_new_database_imports_no_samples(runner, tmp_path: Path,
                                                           fake_app, how: str) -> None:
    db = tmp_path / "chosen.db"
    result = run(runner, *(["--db", str(db)] if how == "--db" else []),
                 env={paths.DB_ENV: str(db)} if how == "env" else None)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert fake_app.made[1] == ("ran", [])
    assert db.exists()


def test_import_into_a_new_database_brings_no_samples(runner, db: Path, tmp_path: Path,
                                                      fake_app) -> None:
    one = SAMPLES / "kremlin-signals-no-quick-truce.md"
    assert run(runner, "import", str(one), "--db", str(db)).exit_code == 0
    assert run(runner, "import", str(one)).exit_code == 0  # the default database, too
    run(runner)  # then the app starts on the default database for the first time
    for path in (db, tmp_path / "default" / "briefings.db"):
        with Store(path) as s:
            assert len(s.list_briefings()) == 1


def test_launch_with_a_bad_path_is_one_line_and_no_app(runner, db: Path, fake_app) -> None:
    result = run(runner, "/no/such/briefing.md", "--db", str(db))
    assert_error(result, "no such file or folder")
    assert fake_app.made == []


def test_console_script_as_a_process(tmp_path: Path) -> None:
    env = {**os.environ, paths.DB_ENV: str(tmp_path / "p.db")}
    ok = subprocess.run([sys.executable, "-m", "briefing_tui", "import", str(SAMPLES)],
                        capture_output=True, text=True, env=env, check=False)
    assert ok.returncode == 0, ok.stderr
    assert len(ok.stdout.splitlines()) == 4
    bad = subprocess.run([sys.executable, "-m", "briefing_tui", "import", "/no/such/path"],
                         capture_output=True, text=True, env=env, check=False)
    assert bad.returncode == 1
    assert bad.stderr == "briefing-tui: error: no such file or folder: /no/such/path\n"


def test_samples_dir_prefers_the_copy_inside_an_installed_package(tmp_path: Path,
                                                                  monkeypatch) -> None:
    package = tmp_path / "site-packages" / "briefing_tui"
    package.mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(package / "paths.py"))
    assert paths.samples_dir() == tmp_path / "site-packages" / "sample_briefings"
    (package / "sample_briefings").mkdir()
    assert paths.samples_dir() == package / "sample_briefings"
