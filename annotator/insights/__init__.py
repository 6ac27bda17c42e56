"""Insights: counts by speaker, position and time, the discourse network and its layout, project statistics."""
