"""The learner's tools: public tests, watch mode, progress, loss curves, verdicts."""
