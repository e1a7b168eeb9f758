"""The keymap loader: the ``[keys]`` table of the config file, and its failure modes."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_tui.ui.keymap import KeymapError, default_config_path, load_keymap, parse_keymap


def test_parse_keymap_reads_strings_and_lists() -> None:
    keymap = parse_keymap(
        '[keys]\n"reader.down" = "ctrl+n"\n"app.help" = ["f1", "?"]\n"annot.undo" = "z, u"\n'
    )
    assert keymap == {"reader.down": "ctrl+n", "app.help": "f1,?", "annot.undo": "z,u"}


def test_parse_keymap_without_keys_table_is_empty() -> None:
    assert parse_keymap('theme = "dark"\n') == {}


@pytest.mark.parametrize(
    "text",
    [
        "[keys\n",  # invalid TOML
        'keys = "x"\n',  # not a table
        '[keys]\n"app.help" = 3\n',  # not a key string
        '[keys]\n"app.help" = " , "\n',  # no key at all
    ],
)
def test_parse_keymap_refuses_bad_config_with_one_line(text: str) -> None:
    with pytest.raises(KeymapError) as caught:
        parse_keymap(text, origin="config.toml")
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("config.toml")
    assert "default keys kept" in message


def test_load_keymap_missing_file_is_empty(tmp_path: Path) -> None:
    assert load_keymap(tmp_path / "absent.toml") == {}


def test_load_keymap_reads_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"annot.note" = "m"\n', encoding="utf-8")
    assert load_keymap(path) == {"annot.note": "m"}


def test_load_keymap_invalid_utf8_is_a_keymap_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"[keys]\n\xff\xfe = 1\n")
    with pytest.raises(KeymapError):
        load_keymap(path)


def test_config_path_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_TUI_CONFIG", str(tmp_path / "mine.toml"))
    assert default_config_path() == tmp_path / "mine.toml"
    monkeypatch.delenv("BRIEFING_TUI_CONFIG")
    assert default_config_path().parent.name == "briefing-tui"
    assert default_config_path().name == "config.toml"
