"""A process that changes highlights through the store exactly as the reader screen does.

Used by the kill and two-instance tests. It prints one line per event, each flushed
before the next store call, so a test reading its stdout knows what was committed:

    READY <pid>                          the store is open (the briefing imported if needed)
    BEGIN <seq> <op> <highlight id|->    about to call the store
    ACK <seq> <json>                     the call returned: committed. json = {"id", "state"},
                                         state = the highlight's fields, or null once deleted
    END <seq>                            the op budget is spent (the process exits 0)

Modes:

    python store_driver.py run DB BRIEFING_FILE SEED [MAX_OPS] [--own] [--wait] [--pace]
        one fresh process doing MAX_OPS changes (default: until killed). ``--own``: change
        only the highlights this process made (another one may be writing the same
        briefing); ``--wait``: after READY, wait for a line on stdin before starting;
        ``--pace``: 2 ms between changes (still far faster than a person at the keys),
        so a writer waiting for the lock gets it: SQLite does not queue writers.
    python store_driver.py serve DB BRIEFING_FILE
        a fork server for fast kill loops: for every line ``run SEED`` on stdin it forks a
        child that does the above, prints ``CHILD <pid>``, waits for the child (killed or
        done) and prints ``EXIT <seq> <status>``. The server itself never opens the database.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

# Run as a script from anywhere: make the repository importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from briefing_tui.core.importer import import_paths
from briefing_tui.core.models import Highlight
from briefing_tui.core.store import Store, StoreError

SPEAKERS = ("Dmitry Peskov", "Ned Price", "Reporter One", "Maria Zakharova")
TOPICS = ("ceasefire", "root-causes", "sanctions", "energy", "grain")
NOTES = ("contradicts the US timeline", "", "see para 4\nand the annex", "# not a heading | x")
FOREVER = 10**9


def emit(line: str) -> None:
    """One line, flushed at once (a single write: whole lines even when killed)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def state(h: Highlight | None) -> dict | None:
    """The fields a test compares with the database (None = the highlight is gone)."""
    if h is None:
        return None
    return {"start": h.start, "end": h.end, "stance_id": h.stance_id,
            "speaker_id": h.speaker_id, "note": h.note, "topics": sorted(h.topics),
            "status": h.status}


def open_store(db: str, briefing_file: str) -> tuple[Store, str, str]:
    """Open the database (importing the briefing on first use) like the app does."""
    store = Store(db)
    [result] = import_paths(store, [briefing_file])
    text = store.get_briefing(result.briefing_id).document.text
    return store, result.briefing_id, text


def run(db: str, briefing_file: str, seed: int, max_ops: int = FOREVER, *,
        own: bool = False, wait: bool = False, pace: bool = False) -> None:
    """Change highlights in a loop; report every committed call."""
    rng = random.Random(seed)
    store, bid, text = open_store(db, briefing_file)
    document = store.get_briefing(bid).document
    stances = store.stances()
    ids = [] if own else [h.id for h in store.highlights(bid)]
    emit(f"READY {os.getpid()}")
    if wait:
        sys.stdin.readline()
    for seq in range(max_ops):
        op = choose(rng, len(ids))
        target = rng.choice(ids) if op != "create" else None
        emit(f"BEGIN {seq} {op} {target or '-'}")
        try:
            result = apply(store, rng, op, target, bid, text, document, stances)
        except StoreError as error:
            # Only a lock held too long by another writer may end here: the call did not
            # commit, so there is nothing to acknowledge. The UI shows this message.
            emit(f"FAILED {seq} {error}")
            continue
        if op == "create":
            assert result is not None
            ids.append(result.id)
            target = result.id
        elif op == "delete":
            ids.remove(target)
        # t: CLOCK_MONOTONIC is system-wide, so two drivers' ACKs can be ordered.
        emit(f"ACK {seq} " + json.dumps({"id": target, "state": state(result),
                                          "t": time.monotonic()}))
        if seq % 97 == 96:
            store.checkpoint()  # the app does this when idle
        if pace:
            time.sleep(0.002)
    emit(f"END {max_ops}")
    store.close()


def choose(rng: random.Random, count: int) -> str:
    """The next operation; keeps the number of highlights between a few and ~40."""
    if count < 3:
        return "create"
    weights = {"create": 4 if count < 40 else 1, "stance": 4, "speaker": 3, "note": 3,
               "topics": 3, "delete": 1 if count < 40 else 4}
    return rng.choices(list(weights), list(weights.values()))[0]


def apply(store: Store, rng: random.Random, op: str, target: str | None, bid: str, text: str,
          document, stances) -> Highlight | None:
    """Make one change the way ``ReaderScreen`` does; return the highlight after it."""
    if op == "create":
        if document.sentences and rng.random() < 0.6:
            start, end = rng.choice(document.sentences)  # enter on a sentence
        else:
            start = rng.randrange(0, len(text) - 1)
            end = min(len(text), start + rng.randint(1, 80))
        return store.create_highlight(bid, start, end)
    assert target is not None
    if op == "stance":
        stance = rng.choice([*stances, None])
        return store.set_stance(target, stance.id if stance else None)
    if op == "speaker":
        name = rng.choice(SPEAKERS)
        speaker = store.find_speaker(name) or store.create_speaker(name)
        return store.set_speaker(target, speaker.id)
    if op == "note":
        return store.set_note(target, rng.choice(NOTES) + f" {rng.randrange(1000)}")
    if op == "topics":
        return store.set_topics(target, rng.sample(TOPICS, rng.randint(0, 3)))
    if op == "delete":
        store.delete_highlight(target)
        return None
    raise ValueError(op)


def serve(db: str, briefing_file: str) -> None:
    """Fork a driver child per ``run SEED`` line on stdin; report how each ended."""
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            return
        seed = int(words[1])
        sys.stdout.flush()  # nothing buffered may be written twice by the child
        pid = os.fork()
        if pid == 0:
            try:
                run(db, briefing_file, seed)
                code = 0
            except BaseException as error:  # noqa: BLE001 - reported to the test
                emit(f"ERROR {type(error).__name__}: {error}")
                code = 1
            os._exit(code)
        emit(f"CHILD {pid}")
        _, status = os.waitpid(pid, 0)
        emit(f"EXIT {seed} {status}")


def main(argv: list[str]) -> None:
    """``run DB FILE SEED [MAX_OPS] [--own] [--wait] [--pace]`` or ``serve DB FILE``."""
    flags = {a for a in argv if a.startswith("--")}
    argv = [a for a in argv if not a.startswith("--")]
    if argv[0] == "run":
        run(argv[1], argv[2], int(argv[3]), int(argv[4]) if len(argv) > 4 else FOREVER,
            own="--own" in flags, wait="--wait" in flags, pace="--pace" in flags)
    elif argv[0] == "serve":
        serve(argv[1], argv[2])
    else:
        raise SystemExit(f"unknown mode {argv[0]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
