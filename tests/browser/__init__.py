"""Browser tests: a package, so this conftest is imported as browser.conftest, not as a second
top-level "conftest" that would shadow tests/conftest.py for the other test modules."""
