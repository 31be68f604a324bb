// Prints one closing line for the whole suite from the runners' result files: "N passed, N failed".
//   --wtr <web-test-runner counts JSON>  --tap <node:test TAP output> (repeatable)  --playwright <Playwright JSON>
//   --exit-status <code> (repeatable): a check that is one test, such as the fault run
import { existsSync, readFileSync } from 'node:fs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const args = process.argv.slice(2);

function missing(kind, file) {
  console.log(`${kind}: no results in ${file} (the runner did not finish)`);
  totals.failed += 1;
}

for (let index = 0; index < args.length; index += 2) {
  const [kind, file] = [args[index], args[index + 1] ?? ''];
  if (kind === '--exit-status') {
    if (file === '0') totals.passed += 1;
    else totals.failed += 1;
    continue;
  }
  if (!existsSync(file)) {
    missing(kind, file);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  if (kind === '--wtr') {
    const unit = JSON.parse(text);
    totals.passed += unit.passed;
    totals.failed += unit.failed + unit.brokenFiles;
    totals.skipped += unit.skipped;
  } else if (kind === '--tap') {
    const number = (name) => Number(text.match(new RegExp(`^# ${name} (\\d+)`, 'm'))?.[1] ?? 0);
    if (!/^# pass /m.test(text)) missing(kind, file);
    totals.passed += number('pass');
    totals.failed += number('fail') + number('cancelled');
    totals.skipped += number('skipped') + number('todo');
  } else if (kind === '--playwright') {
    const { stats } = JSON.parse(text);
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
  } else {
    throw new Error(`Unknown result kind ${kind}`);
  }
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
