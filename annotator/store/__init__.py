"""The project file: opening it safely (db), its schema (migrations), backups."""
