"""Editing the annotations: undoable command objects and the edits built on them (quotes, speakers, codebook, statuses), with the queries the desk reads."""
