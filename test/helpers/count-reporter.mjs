// A web-test-runner reporter that writes how many tests passed, failed and were skipped to a JSON file,
// so the test script can print one closing line for the whole suite.
import { writeFileSync } from 'node:fs';

function count(suite, totals) {
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites) count(child, totals);
}

export function countReporter(outputFile) {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0, brokenFiles: 0 };
      for (const session of sessions) {
        if (session.testResults) count(session.testResults, totals);
        // A file that failed to load or threw outside a test counts as a failure too.
        if (!session.passed && (session.errors?.length ?? 0) > 0) totals.brokenFiles += 1;
      }
      if (outputFile) writeFileSync(outputFile, JSON.stringify(totals));
    },
  };
}
