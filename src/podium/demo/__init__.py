"""Demo content and trial data for Podium, the top floor: `podium demo` loads the topics, accounts
and Dutch articles kept as data files in `content/` through the real services; `podium seed` fills
a trial database with realistic bulk data (`seed.py`). Both reach into every app, so nothing else
may import this one."""
