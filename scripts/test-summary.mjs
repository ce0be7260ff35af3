// Sums the JSON reports of every runner into the one closing line CI reads: "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];

if (existsSync('test-results/vitest.json')) {
  const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  // A file that failed to load counts as a failure even though none of its tests ran.
  const brokenFiles = (v.testResults ?? []).filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  );
  passed += v.numPassedTests;
  failed += v.numFailedTests + brokenFiles.length;
  skipped += v.numPendingTests + v.numTodoTests;
  lines.push(`vitest: ${v.numPassedTests} passed, ${v.numFailedTests + brokenFiles.length} failed`);
} else {
  failed += 1;
  lines.push('vitest: no report (the run did not complete)');
}

if (existsSync('e2e/playwright.config.ts')) {
  if (existsSync('test-results/playwright.json')) {
    const p = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'));
    const s = p.stats;
    passed += s.expected + s.flaky;
    failed += s.unexpected;
    skipped += s.skipped;
    lines.push(`playwright: ${s.expected + s.flaky} passed, ${s.unexpected} failed (${s.flaky} flaky)`);
  } else {
    failed += 1;
    lines.push('playwright: no report (the run did not complete)');
  }
}

for (const l of lines) console.log(l);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
