#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image. Made by `grader gradescope`.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3.11 python3.11-venv
python3.11 -m venv /autograder/venv
# Editable (-e): the venv points at /autograder/source/grader, the one copy of the hidden suites,
# which the grader keeps from learner code. A plain install would put a second copy in the venv.
/autograder/venv/bin/pip install --extra-index-url https://download.pytorch.org/whl/cpu \
    -c /autograder/source/constraints.txt -e /autograder/source
