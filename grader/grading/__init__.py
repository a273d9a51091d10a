"""The grading engine: judges that run the hidden suites under pytest, and the checks they use."""
