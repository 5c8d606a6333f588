/**
 * Checks README.md and docs/**\/*.md (issue 22: "no link outside the repository"): fails (exit 1) on any http(s) URL
 * whose host is not localhost or 127.0.0.1, on a relative Markdown link whose file, or whose #anchor in a Markdown
 * file, does not exist (anchors matched against the headings' slugs as GitHub renders them), and on a command the
 * repository cannot run: `npm run <script>` without that script in package.json, `tsx <file>` / `node <file>`
 * without that file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const root = join(import.meta.dirname, '..');


const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);
const URL_PATTERN = /\bhttps?:\/\/([^/\s:)`'"<>\]]+)[^\s)`'"<>\]]*/g;
const NPM_RUN = /\bnpm run (?:--silent |-s )?([a-z0-9:_-]+)/g;
const RUN_FILE = /\b(?:tsx|node) ((?:[a-zA-Z0-9_.-]+\/)+[a-zA-Z0-9_.-]+\.(?:ts|mjs|js))\b/g;
/** `[text](target)`: the target up to the closing parenthesis, without a title. */
const LINK_PATTERN = /\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

export interface DocProblem {
  file: string;
  line: number;
  message: string;
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
export function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown text's headings (outside fenced code), with GitHub's -1, -2 suffixes for repeats. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const slug = slugOf(m[1]!);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** Problems of one Markdown file at `path` (relative to `base`, '/' separated) with its text. */
export function checkMarkdown(base: string, path: string, text: string, scripts: ReadonlySet<string> = npmScripts(base)): DocProblem[] {
  const problems: DocProblem[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(NPM_RUN)) {
      if (!scripts.has(m[1]!)) problems.push({ file: path, line: i + 1, message: `no npm script ${m[1]} in package.json: ${m[0]}` });
    }
    for (const m of line.matchAll(RUN_FILE)) {
      if (!existsSync(join(base, m[1]!))) problems.push({ file: path, line: i + 1, message: `runs a missing file: ${m[0]}` });
    }
    for (const m of line.matchAll(URL_PATTERN)) {
      if (!LOCAL_HOSTS.has(m[1]!.toLowerCase())) problems.push({ file: path, line: i + 1, message: `link outside the repository: ${m[0]}` });
    }
    for (const m of line.matchAll(LINK_PATTERN)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue; // URLs: checked above; mailto: and the like are not files
      const [file, anchor] = target.split('#', 2) as [string, string | undefined];
      const resolved = file === '' ? path : normalize(join(dirname(path), file)).split(sep).join('/');
      const full = join(base, resolved);
      if (!existsSync(full)) {
        problems.push({ file: path, line: i + 1, message: `link to a missing file: ${target}` });
        continue;
      }
      if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(readFileSync(full, 'utf8')).has(anchor)) {
        problems.push({ file: path, line: i + 1, message: `link to a missing heading: ${target}` });
      }
    }
  });
  return problems;
}

/** The package's npm scripts. */
export function npmScripts(base: string): Set<string> {
  const pkg = join(base, 'package.json');
  const scripts = existsSync(pkg) ? Object.keys((JSON.parse(readFileSync(pkg, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {}) : [];
  return new Set(scripts);
}

function* markdownUnder(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* markdownUnder(full);
    else if (entry.isFile() && entry.name.endsWith('.md')) yield full;
  }
}

/** README.md and every Markdown file under docs/ of the tree at `base`. */
export function checkDocs(base: string): DocProblem[] {
  const files = [join(base, 'README.md'), ...markdownUnder(join(base, 'docs'))].filter((f) => existsSync(f));
  const scripts = npmScripts(base);
  return files.flatMap((f) => checkMarkdown(base, relative(base, f).split(sep).join('/'), readFileSync(f, 'utf8'), scripts));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkDocs(root);
  if (problems.length > 0) {
    console.error('README.md and docs/ link outside the repository or to nothing, or name a command that does not exist:');
    for (const p of problems) console.error(`  ${p.file}:${p.line}  ${p.message}`);
    process.exit(1);
  }
  console.log('README.md and docs/ link only inside the repository, to files and headings that exist');
}
