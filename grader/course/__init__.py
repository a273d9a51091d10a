"""The instructor's tools: a class in batch, releases and platform packagings, stubs."""
