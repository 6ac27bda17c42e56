"""The command line (``quotebook COMMAND``): main holds the parser and the commands, review the review commands."""
