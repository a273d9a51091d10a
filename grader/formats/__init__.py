"""Output formats: each renders a Grade (grader.model) and nothing else."""
