// The first-run banner. The token goes to the console directly, never through the logger (logs get shipped).
export function printSetupBanner(port: number, token: string): void {
  const line = `Netplane setup: open http://localhost:${port}/setup and enter the token ${token}`;
  const bar = '='.repeat(line.length);
  process.stdout.write(`\n${bar}\n${line}\n${bar}\n\n`);
}
