"""`python -m briefing_tui`."""

from briefing_tui.launch import main

if __name__ == "__main__":
    main()
