"""The hidden suites, one folder per topic (loaded by path), and `shared`, the judge logic they share."""
