"""The grade as JSON: the contract every other format is a view of."""

from grader.model import Grade


def render(grade: Grade) -> str:
    return grade.to_json()
