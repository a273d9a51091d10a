#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image. Made by `grader gradescope`.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3.11 python3.11-venv
python3.11 -m venv /autograder/venv
/autograder/venv/bin/pip install --extra-index-url https://download.pytorch.org/whl/cpu \
    -c /autograder/source/constraints.txt /autograder/source
