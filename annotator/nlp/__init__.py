"""NLP: the spaCy pipeline, the analysis (and its worker process), quote suggestions (suggest/: rules on the parse, no database) and where they are stored."""
