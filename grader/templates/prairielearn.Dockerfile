# The grading image for the gradient-descent katas on PrairieLearn: Python 3.11 with the pinned
# stack (torch __TORCH__, CPU build) and the grader without its hidden suites (the image is public;
# the suites reach each grading job through serverFilesCourse). Nothing is fetched at grading time.
# Made by `grader release --for prairielearn`.
FROM python:3.11-slim-bookworm
COPY constraints.txt pyproject.toml README.md /opt/gradient-katas/
COPY grader /opt/gradient-katas/grader
RUN python3 -m pip install --no-cache-dir --disable-pip-version-check -c /opt/gradient-katas/constraints.txt \
        --index-url https://download.pytorch.org/whl/cpu torch==__TORCH__ \
 && python3 -m pip install --no-cache-dir --disable-pip-version-check -c /opt/gradient-katas/constraints.txt \
        /opt/gradient-katas \
 && rm -rf /opt/gradient-katas \
 && python3 -c "import torch, numpy, pytest, grader"
