// Prints one closing line for the whole suite from the runners' result files: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

const [unitFile, e2eFile] = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };

if (unitFile && existsSync(unitFile)) {
  const unit = JSON.parse(readFileSync(unitFile, 'utf8'));
  totals.passed += unit.passed;
  totals.failed += unit.failed + unit.brokenFiles;
  totals.skipped += unit.skipped;
} else {
  console.log('unit: no results (the runner did not finish)');
  totals.failed += 1;
}

if (e2eFile && existsSync(e2eFile)) {
  const stats = JSON.parse(readFileSync(e2eFile, 'utf8')).stats;
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  totals.skipped += stats.skipped;
} else {
  console.log('e2e: no results (the runner did not finish)');
  totals.failed += 1;
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
