// How `netplane adapter test` prints the kit's run: one line per case (✓ passed, ✗ failed with its first error
// lines, - skipped), the errors that stopped the run before any case (an adapter that does not start or handshake),
// and a last line of totals. A vendor's CI reads the exit code; a person reads which case failed and why.
import type { Reporter, TestCase, TestModule } from 'vitest/node';

export type KitTotals = { passed: number; failed: number; skipped: number; errors: number };

const firstLines = (text: string, n = 4) => text.split('\n').slice(0, n).join('\n      ');

export class KitReporter implements Reporter {
  readonly totals: KitTotals = { passed: 0, failed: 0, skipped: 0, errors: 0 };

  constructor(private readonly write: (line: string) => void) {}

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    const ms = Math.round(test.diagnostic()?.duration ?? 0);
    if (result.state === 'passed') {
      this.totals.passed++;
      this.write(`  ✓ ${test.name} (${ms} ms)`);
    } else if (result.state === 'failed') {
      this.totals.failed++;
      this.write(`  ✗ ${test.name} (${ms} ms)`);
      for (const e of result.errors) this.write(`      ${firstLines(e.message ?? String(e))}`);
    } else if (result.state === 'skipped') {
      this.totals.skipped++;
      this.write(`  - ${test.name} (skipped)`);
    }
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<{ message?: string }>): void {
    for (const m of modules)
      for (const e of m.errors()) {
        this.totals.errors++;
        this.write(`  ✗ the kit could not run: ${firstLines(e.message ?? String(e), 6)}`);
      }
    for (const e of unhandled) {
      this.totals.errors++;
      this.write(`  ✗ unhandled error: ${firstLines(e.message ?? String(e), 6)}`);
    }
    const t = this.totals;
    this.write(
      `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${t.errors ? `, ${t.errors} error${t.errors === 1 ? '' : 's'}` : ''}`,
    );
  }
}
