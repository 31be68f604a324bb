// Prints one closing line for the whole suite from the runners' result files: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

const [unitFile, packageTapFile, e2eFile] = process.argv.slice(2);
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

if (packageTapFile && existsSync(packageTapFile)) {
  const tap = readFileSync(packageTapFile, 'utf8');
  const number = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)`, 'm'))?.[1] ?? 0);
  totals.passed += number('pass');
  totals.failed += number('fail') + number('cancelled');
  totals.skipped += number('skipped') + number('todo');
  if (!/^# pass /m.test(tap)) totals.failed += 1;
} else {
  console.log('package: no results (the runner did not finish)');
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
