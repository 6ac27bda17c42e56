"""Quotebook: `python main.py` opens the desktop app; `python main.py COMMAND ...` is the CLI."""
import sys

from annotator.cli import main

if __name__ == "__main__":
    main(sys.argv[1:])
