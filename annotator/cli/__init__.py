"""The command line (``quotebook COMMAND``): ``main`` runs a command, ``parser`` defines them,
``commands`` and ``review`` are their handlers, ``output`` what they print."""
