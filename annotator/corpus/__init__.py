"""The corpus: reading source files (sources, json_record, fields), importing them, native records and their registry sidecar, reading articles back."""
