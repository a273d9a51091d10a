"""The grade as JUnit XML (GitLab, Jenkins and the like): a test suite per kata, a test case per
hidden test; failed tests carry the message, errors and timeouts are errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.model import Grade


def render(grade: Grade) -> str:
    def count(tests, *statuses) -> str:
        return str(sum(test.status in statuses for test in tests))

    every = [test for kata in grade.katas for test in kata.tests]
    root = ET.Element("testsuites", name=f"gradient-descent katas: {grade.submission}",
                      tests=str(len(every)), failures=count(every, "failed"),
                      errors=count(every, "error", "timeout"),
                      time=f"{sum(kata.seconds for kata in grade.katas):.3f}")
    for kata in grade.katas:
        suite = ET.SubElement(root, "testsuite", name=kata.id, tests=str(len(kata.tests)),
                              failures=count(kata.tests, "failed"),
                              errors=count(kata.tests, "error", "timeout"), time=f"{kata.seconds:.3f}")
        properties = ET.SubElement(suite, "properties")
        for name, value in (("score", kata.score), ("max_score", kata.max_score), ("status", kata.status)):
            ET.SubElement(properties, "property", name=name, value=f"{value}")
        for test in kata.tests:
            case = ET.SubElement(suite, "testcase", classname=kata.id.replace("/", "."), name=test.name,
                                 file=f"exercises/{kata.id}.py")
            if test.status != "passed":
                tag = "failure" if test.status == "failed" else "error"
                problem = ET.SubElement(case, tag, message=test.message.splitlines()[0] if test.message
                                        else test.status, type=test.status)
                problem.text = test.message
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
