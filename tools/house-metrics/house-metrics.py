#!/usr/bin/env python3
"""Issue 19's house figures for the tree at hand: C# files and lines per project, the longest
methods in src/, the members of each store interface, the hand-written shapes of the training spec,
and the `duplicates` pairs with both sides in src/. Prints Markdown (for docs/house-metrics.md).

Usage: python3 tools/house-metrics/house-metrics.py [--repo DIR]
A method is a member declaration with a parameter list followed by a brace block (expression-bodied
members count their lines up to the ';'); its length is its lines from declaration to closing brace.
"""
import argparse, os, re, subprocess

DECLARATION = re.compile(r'^\s*(?:\[[^\]]*\]\s*)*(?:(?:public|private|internal|protected|static|async|override|virtual|sealed|partial|unsafe|extern|new)\s+)+[\w<>\[\]?,.() ]*?\b(\w+)\s*(?:<[^>]*>)?\s*\(')
INTERFACE = re.compile(r'\binterface\s+(I\w*(?:Store|Catalog|Repository))\b')
SPEC_MEMBER = re.compile(r'\b(?:double|float)(?:\[\])?\??\s+LearningRate\b')


def csharp_files(root, top):
    out = subprocess.run(['git', '-C', root, 'ls-files', top], capture_output=True, text=True, check=True).stdout.split()
    return [f for f in out if f.endswith('.cs')]


def methods(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    found = []
    i = 0
    while i < len(lines):
        m = DECLARATION.match(lines[i])
        if m and re.search(r'\b(class|record|struct|interface)\b', lines[i]):
            m = None
        if not m or lines[i].rstrip().endswith(';') and '=>' not in lines[i]:
            i += 1
            continue
        depth, j, opened = 0, i, False
        while j < len(lines):
            text = lines[j]
            if not opened and '=>' in text and '{' not in text.split('=>')[0]:
                # expression-bodied: up to the terminating ';' at depth 0
                k = j
                while k < len(lines) and not lines[k].rstrip().endswith(';'):
                    k += 1
                found.append((k - i + 1, m.group(1), i + 1))
                i = k
                break
            depth += text.count('{') - text.count('}')
            if '{' in text:
                opened = True
            if opened and depth <= 0:
                found.append((j - i + 1, m.group(1), i + 1))
                break
            if not opened and text.rstrip().endswith(';'):
                break
            j += 1
        i += 1
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repo', default=os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..')))
    root = parser.parse_args().repo
    commit = subprocess.run(['git', '-C', root, 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    print(f'House figures at {commit}\n')
    print('| project | C# files | lines | public types |')
    print('|---|---:|---:|---:|')
    for top in ('src', 'bench', 'tests'):
        for project in sorted(os.listdir(os.path.join(root, top))):
            if not os.path.isdir(os.path.join(root, top, project)):
                continue
            files = csharp_files(root, f'{top}/{project}')
            if not files:
                continue
            text = [open(os.path.join(root, f), encoding='utf-8').read() for f in files]
            public = sum(len(re.findall(r'^\s*public\s+(?:(?:static|sealed|abstract|partial|readonly|record)\s+)*(?:class|record|struct|interface|enum)\b', t, re.M)) for t in text)
            print(f'| {top}/{project} | {len(files)} | {sum(t.count(chr(10)) for t in text)} | {public} |')
    all_methods = []
    for f in csharp_files(root, 'src'):
        all_methods += [(n, name, f, line) for n, name, line in methods(os.path.join(root, f))]
    print('\nLongest methods in src/:\n')
    for n, name, f, line in sorted(all_methods, reverse=True)[:5]:
        print(f'- {name} ({f}:{line}): {n} lines')
    print('\nStore interfaces (members):\n')
    for f in csharp_files(root, 'src'):
        text = open(os.path.join(root, f), encoding='utf-8').read()
        for m in INTERFACE.finditer(text):
            body = text[m.end():]
            body = body[body.index('{') + 1:]
            depth, end = 1, 0
            for end, ch in enumerate(body):
                depth += (ch == '{') - (ch == '}')
                if depth == 0:
                    break
            members = [l for l in body[:end].split('\n') if re.search(r'\)\s*;\s*$|\{\s*get;', l)]
            print(f'- {m.group(1)} ({f}): {len(members)}')
    shapes = [f for f in csharp_files(root, 'src') if SPEC_MEMBER.search(open(os.path.join(root, f), encoding='utf-8').read())]
    print(f'\nFiles that write out the spec\'s fields (declare a LearningRate member): {len(shapes)}: {", ".join(os.path.basename(s) for s in shapes)}')
    dup = subprocess.run(['duplicates', '--repo', root, '--most', '200'], capture_output=True, text=True).stdout.split('\n')
    rows = [l for l in dup if re.match(r'^D\d+ ', l)]
    in_src = [l for l in rows if l.split()[1].startswith('src/') and l.split()[3].startswith('src/')]
    print(f'\n`duplicates` pairs: {len(rows)} in all, {len(in_src)} with both sides in src/ ({sum("boilerplate" in l for l in in_src)} of those marked boilerplate)')


if __name__ == '__main__':
    main()
