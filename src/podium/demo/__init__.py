"""Demo content for Podium: topics, accounts and Dutch articles as data files in `content/`, plus
the helpers that read them. Loaded into the database by `podium demo` (podium.web)."""
