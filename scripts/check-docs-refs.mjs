#!/usr/bin/env node
// Fails when docs/**/*.md or a README links to, or names in backticks, a repo path that does not exist, so the docs
// cannot keep pointing at files that were moved or removed. Run by `npm run lint` (lint:root).
//
// What counts as a reference:
// - a relative Markdown link `[text](path)`: resolved from the Markdown file's folder (anchors and queries dropped);
// - a backticked path with a folder, like `packages/db/src/connect.ts` or `lifecycle/rule-calls.ts`: it must exist
//   from the repo root, from the Markdown file's folder, or end some tracked path (a path inside a package);
// - a backticked file name with a code extension, like `state-batch.ts`: some tracked file must have that name.
// Paths git ignores (dist/, data/, test-results/) are outputs named on purpose and pass.
// Placeholders (`<area>`, `{a,b}`), globs (`*`), URLs and dotted identifiers (`jobsRepo.insertJob`) are not paths.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter(Boolean)
  .filter((p) => existsSync(join(root, p)));
const files = new Set(listed);
const folders = new Set(
  listed.flatMap((p) =>
    p
      .split('/')
      .slice(0, -1)
      .map((_, i, a) => a.slice(0, i + 1).join('/')),
  ),
);
const baseNames = new Set(listed.map((p) => p.split('/').pop()));
const topLevel = new Set(listed.map((p) => p.split('/')[0]));

const docs = listed.filter((p) => /^docs\/.*\.md$/.test(p) || /(^|\/)README\.md$/.test(p));
const SOURCE_EXT = /\.(ts|tsx|mjs|cjs|js|json|md|sh|yml|yaml|css|html|sql)$/;

/** Build outputs, data and reports (dist/, data/, test-results/) are named on purpose though absent from the tree. */
function isIgnored(p) {
  const path = p.replace(/\/$/, '');
  return [path, `${path}/x`].some((candidate) => {
    try {
      execFileSync('git', ['check-ignore', '-q', '--no-index', candidate], { cwd: root });
      return true;
    } catch {
      return false;
    }
  });
}

const exists = (p) =>
  files.has(p) || folders.has(p.replace(/\/$/, '')) || (!p.startsWith('..') && isIgnored(p));

/** Why `ref` (found in `doc`) is broken, or null when it resolves. */
function problem(doc, ref, kind) {
  const clean = ref.replace(/[#?].*$/, '').replace(/:\d+(-\d+)?$/, '');
  if (clean === '') return null;
  const fromDoc = normalize(join(dirname(doc), clean));
  if (kind === 'link') return exists(fromDoc) ? null : `links to ${ref}, which does not exist`;
  const path = clean.replace(/^\.\//, '');
  if (exists(path) || exists(fromDoc)) return null;
  if (path.includes('/')) {
    if (topLevel.has(path.split('/')[0])) return `names ${ref}, which does not exist`;
    const suffix = `/${path.replace(/\/$/, '')}`;
    if (listed.some((f) => f.endsWith(suffix) || f.includes(`${suffix}/`))) return null;
    return `names ${ref}, which no tracked path ends with`;
  }
  return baseNames.has(path) ? null : `names ${ref}, and no tracked file has that name`;
}

function looksLikePath(token) {
  if (/[<>{}*\s$()=,;'"|]|^[a-z]+:\/\/|^@|^-|^\.\.\.$/.test(token)) return false;
  if (token.includes('/')) {
    // `a/b` words (read/write, tcp/udp) are not paths: a path has an extension, ends in / or starts at a top folder.
    return (
      /^(\.{1,2}\/)?[\w.-]+(\/[\w.@-]+)+\/?$/.test(token) &&
      (SOURCE_EXT.test(token) || token.endsWith('/') || topLevel.has(token.split('/')[0]))
    );
  }
  return /^[\w-]+(\.[\w-]+)*$/.test(token) && /\.(ts|tsx|mjs|cjs|js|sh)$/.test(token);
}

const failures = [];
for (const doc of docs) {
  const text = readFileSync(join(root, doc), 'utf8').replace(/```[\s\S]*?```/g, (block) =>
    block.replace(/[^\n]/g, ' '),
  );
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^([a-z]+:|#|mailto:)/.test(target)) continue;
      const why = problem(doc, target, 'link');
      if (why) failures.push(`${doc}:${i + 1}: ${why}`);
    }
    for (const m of line.matchAll(/`([^`\n]+)`/g)) {
      const token = m[1].trim();
      if (!looksLikePath(token)) continue;
      const why = problem(doc, token, 'name');
      if (why) failures.push(`${doc}:${i + 1}: ${why}`);
    }
  });
}

if (failures.length > 0) {
  console.error(`check-docs-refs: ${failures.length} reference(s) to paths that do not exist:`);
  for (const f of failures) console.error(`  ${f}`);
  console.error('Fix the path, or reword it if it is not meant as a path of this repository.');
  process.exit(1);
}
console.log(
  `check-docs-refs: ${docs.length} Markdown files, every referenced path exists (${relative(process.cwd(), root) || '.'})`,
);
