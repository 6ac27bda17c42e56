"""Quotebook's Qt widgets: thin views over ``annotator``."""
