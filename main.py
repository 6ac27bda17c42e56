"""Quotebook: `python main.py` opens the desktop app; `python main.py COMMAND ...` is the CLI."""
import sys

from annotator.cli.main import main as cli_main


def gui(**options) -> int:
    from ui.app import run_gui  # Qt is loaded only when the app opens
    return run_gui(**options)


def main(argv=None) -> None:
    cli_main(sys.argv[1:] if argv is None else argv, gui=gui)


if __name__ == "__main__":
    main()
