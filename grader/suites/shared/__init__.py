"""Judge logic that several hidden suites share: import it as ``from grader.suites.shared import …``.

Nothing here is a test; each suite keeps its own tests, points and messages.
"""
