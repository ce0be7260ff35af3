// Builds the server bundle and the web app once when either dist is missing (a clean clone after `npm ci`).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { REPO_ROOT, SERVER_MAIN, WEB_INDEX } from './fixtures/server';

export default function globalSetup(): void {
  if (existsSync(SERVER_MAIN) && existsSync(WEB_INDEX)) return;
  process.stdout.write('e2e: building the server and the web app (dist missing)\n');
  execSync('npx turbo run build --filter=@netplane/server --filter=@netplane/web --output-logs=errors-only', {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  for (const file of [SERVER_MAIN, WEB_INDEX]) {
    if (!existsSync(file)) throw new Error(`e2e: the build did not produce ${file}`);
  }
}
