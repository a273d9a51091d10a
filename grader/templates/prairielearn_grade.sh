#!/usr/bin/env bash
# PrairieLearn's grading container runs this for each submission (the question's entrypoint, with
# the katas to grade as arguments): it puts the submitted kata files in place, grades them with
# the grader beside this script and its hidden suites, and writes /grade/results/results.json.
# Made by `grader release --for prairielearn`.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
GRADE="${GRADE_ROOT:-/grade}"
RESULTS="$GRADE/results/results.json"
mkdir -p "$GRADE/results"
SELECTED=()
for kata in "$@"; do SELECTED+=(--kata "$kata"); done
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$HERE"  # the grader here, with its hidden suites, before any installed copy
python3 -m grader arrange "$GRADE/student" "$WORK/arranged" \
  && python3 -m grader grade "$WORK/arranged" "${SELECTED[@]}" --format prairielearn --output "$RESULTS"
if [ ! -s "$RESULTS" ]; then  # the grader could not run: not the learner's attempt to lose
  echo '{"gradable": false, "format_errors": ["The grader could not run on this submission; please tell your instructor."], "message": "The grader could not run on this submission; please tell your instructor."}' \
    > "$RESULTS"
fi
