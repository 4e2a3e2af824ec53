#!/usr/bin/env python3
"""Runs the examples of the README and docs/ as written.

A code block preceded by an HTML comment `<!-- doc-test EXAMPLE: ACTION [ARG] -->`
belongs to EXAMPLE; each example gets a folder of its own. Actions:
  file NAME     the block is written to NAME in the example's folder
  run           the block is a shell script run in the folder, twice (the same
                database both times); each run must exit 0
  output N      each line of the block must appear, in order, in the output
                (stdout and stderr) of run N
  excerpt NAME  each declaration of the block (comments and blank lines aside,
                spaces collapsed; lines ending in `;` or starting with `#`)
                must appear, in order, in the folder's NAME after the runs

The commands find prismac, libprisma and its headers as a user would: the
build is installed into a temporary root (meson install --destdir), on PATH,
with pkg-config pointed at it (PKG_CONFIG_SYSROOT_DIR).

usage: run_docs.py MESON BUILD_DIR FILE.md...
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARK = re.compile(r'^<!-- doc-test ([\w.-]+): (\w+)(?: (.*?))? -->\s*$')


def blocks(path):
    """Yields (example, action, arg, text, line) for each marked block."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    i = 0
    while i < len(lines):
        m = MARK.match(lines[i])
        i += 1
        if not m:
            continue
        if i >= len(lines) or not lines[i].startswith('```'):
            raise SystemExit(f'{path}:{i}: a doc-test comment must stand right before a code block')
        start = i + 1
        end = start
        while end < len(lines) and not lines[end].startswith('```'):
            end += 1
        yield m.group(1), m.group(2), m.group(3), '\n'.join(lines[start:end]) + '\n', i
        i = end + 1


def declarations(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    out = []
    for line in text.split('\n'):
        line = ' '.join(line.split())
        if line.endswith(';') or line.startswith('#'):
            out.append(line)
    return out


def in_order(wanted, have):
    """The first of `wanted` not found in `have` after its predecessors, or None."""
    k = 0
    for w in wanted:
        while k < len(have) and have[k] != w:
            k += 1
        if k == len(have):
            return w
        k += 1
    return None


def install(meson, build, root):
    subprocess.run([meson, 'install', '-C', build, '--destdir', root, '--no-rebuild', '--quiet'],
                   check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ)
    for dirpath, _, files in os.walk(root):
        if 'libprisma.pc' in files:
            env['PKG_CONFIG_PATH'] = dirpath
            env['LD_LIBRARY_PATH'] = os.path.dirname(dirpath)
        if 'prismac' in files and os.path.basename(dirpath) == 'bin':
            env['PATH'] = dirpath + os.pathsep + env.get('PATH', '')
    env['PKG_CONFIG_SYSROOT_DIR'] = root
    for var in ('DATABASE_URL', 'CFLAGS', 'CPATH', 'C_INCLUDE_PATH', 'LIBRARY_PATH'):
        env.pop(var, None)
    return env


def main():
    meson, build, docs = sys.argv[1], sys.argv[2], sys.argv[3:]
    tmp = tempfile.mkdtemp(prefix='prismac-docs-')
    failures = []
    try:
        env = install(meson, build, os.path.join(tmp, 'root'))
        examples = {}
        for doc in docs:
            for name, action, arg, text, line in blocks(doc):
                key = os.path.basename(doc) + ':' + name
                examples.setdefault(key, []).append((action, arg, text, f'{doc}:{line}'))
        for doc in docs:
            if os.path.basename(doc) == 'README.md' and not any(
                    k.startswith('README.md:') and any(a == 'run' for a, *_ in v) for k, v in examples.items()):
                failures.append(f'{doc}: no example marked to run')
        for key, items in examples.items():
            folder = os.path.join(tmp, key.replace(':', '_'))
            os.makedirs(folder)
            for action, arg, text, where in items:
                if action == 'file':
                    with open(os.path.join(folder, arg), 'w', encoding='utf-8') as f:
                        f.write(text)
            scripts = [(text, where) for action, _, text, where in items if action == 'run']
            outputs = []
            for run in (1, 2):
                out = ''
                for script, where in scripts:
                    p = subprocess.run(['sh', '-e', '-c', script], cwd=folder, env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                    out += p.stdout
                    if p.returncode != 0:
                        failures.append(f'{where}: run {run} of {key} exited with {p.returncode}:\n{p.stdout}')
                        break
                outputs.append(out.split('\n'))
            print(f'{key}: {len(scripts)} script(s) run twice')
            for action, arg, text, where in items:
                if action == 'output':
                    run = int(arg)
                    wanted = [l for l in text.split('\n') if l.strip()]
                    missing = in_order(wanted, outputs[run - 1])
                    if missing is not None:
                        failures.append(f'{where}: run {run} of {key} did not print "{missing}"; it printed:\n'
                                        + '\n'.join(outputs[run - 1]))
                elif action == 'excerpt':
                    path = os.path.join(folder, arg)
                    if not os.path.exists(path):
                        failures.append(f'{where}: {arg} was not made')
                        continue
                    with open(path, encoding='utf-8') as f:
                        have = declarations(f.read())
                    missing = in_order(declarations(text), have)
                    if missing is not None:
                        failures.append(f'{where}: "{missing}" is not in the generated {arg} (or out of order)')
                elif action not in ('file', 'run'):
                    failures.append(f'{where}: unknown doc-test action {action}')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print('FAIL ' + f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
