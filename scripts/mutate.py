#!/usr/bin/env python3
"""make mutate: does the test suite notice small bugs?

Applies each mutation of tests/mutations/mutations.tsv, one at a time, to a COPY of the
working tree (never to the tree itself), rebuilds incrementally, runs the tests the mutation
names and reports whether they failed ("caught") or passed ("not caught"). Last comes the
mutation score: caught / (caught + not caught).

    python3 scripts/mutate.py                     # every mutation (make mutate)
    python3 scripts/mutate.py --list              # the list, with stale snippets flagged
    python3 scripts/mutate.py --only ID[,ID…]     # some of them
    python3 scripts/mutate.py --min 90            # exit 4 when the score is below 90 %
    python3 scripts/mutate.py --rev HEAD          # a commit (git archive), not the working tree

Outcomes:
  caught            a named test that passes on the unmutated copy failed
  caught (timeout)  a named test ran past --timeout (counted as caught)
  not caught        every named test that exists and passes unmutated still passed
  invalid           the mutated code did not build (not counted; fix the mutation)
  baseline-failing  not caught, but some named test already fails unmutated, twice (not
                    counted; a test that fails once and then passes is reported FLAKY and used)
  stale             the original snippet does not occur exactly once (not counted; exit 3)

The list format is described in docs/TESTING.md and at the top of the list itself.
"""
import argparse
import collections
import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SRC = os.path.dirname(HERE)
LIST = os.path.join('tests', 'mutations', 'mutations.tsv')
KIND_ORDER = {'check': 0, 'unit': 0, 'store': 0, 'api': 1, 'api-pg': 1, 'fuzz': 2, 'routing': 2, 'ami': 2, 'fault': 3, 'browser': 4}

Edit = collections.namedtuple('Edit', 'file original replacement lineno')


class Mutation:
    def __init__(self, mid, layer, tests, desc):
        self.id = mid
        self.layer = layer
        self.tests = tests
        self.desc = desc
        self.edits = []
        self.stale = None      # reason, when stale
        self.outcome = None
        self.detail = ''
        self.seconds = 0.0


def unescape(s):
    """\\n, \\t and \\\\ in a snippet column; anything else stays as written."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == '\\' and i + 1 < len(s) and s[i + 1] in 'nt\\':
            out.append({'n': '\n', 't': '\t', '\\': '\\'}[s[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def parse_list(path):
    """Rows: id, layer, file, tests, description, original, replacement (TAB-separated).
    Further rows with the same id add edits to that mutation (their layer, tests and
    description columns may be '-')."""
    muts, order = {}, []
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            cols = line.split('\t')
            if len(cols) != 7:
                sys.exit(f'{path}:{lineno}: expected 7 TAB-separated columns, found {len(cols)}')
            mid, layer, file, tests, desc, orig, repl = cols
            if not re.fullmatch(r'[a-z0-9][a-z0-9.-]*', mid):
                sys.exit(f'{path}:{lineno}: bad id {mid!r} (lower case, digits, . and -)')
            if mid not in muts:
                if layer == '-' or tests == '-':
                    sys.exit(f'{path}:{lineno}: the first row of {mid} needs a layer and tests')
                targets = [t for t in re.split(r'[\s,]+', tests) if t]
                for t in targets:
                    kind = t.split(':', 1)[0]
                    if kind not in KIND_ORDER or (kind in ('unit', 'store', 'api', 'api-pg', 'fuzz', 'browser') and ':' not in t):
                        sys.exit(f'{path}:{lineno}: unknown test target {t!r}')
                muts[mid] = Mutation(mid, layer, targets, desc)
                order.append(mid)
            orig_u = unescape(orig)
            if not orig_u:
                sys.exit(f'{path}:{lineno}: empty original snippet')
            muts[mid].edits.append(Edit(file, orig_u, unescape(repl), lineno))
    return [muts[m] for m in order]


def check_stale(muts, reader):
    """reader(path) -> the file's text, or None when it does not exist."""
    for m in muts:
        m.stale = None
        for e in m.edits:
            text = reader(e.file)
            if text is None:
                m.stale = f'{e.file} does not exist'
                break
            n = text.count(e.original)
            if n != 1:
                m.stale = f'snippet of line {e.lineno} occurs {n} times in {e.file}'
                break
            if e.original == e.replacement:
                m.stale = f'line {e.lineno}: the replacement equals the original'
                break


def read(p):
    with open(p, encoding='utf-8') as f:
        return f.read()


def write(p, text):
    with open(p, 'w', encoding='utf-8') as f:
        f.write(text)


def touch(p):
    os.utime(p, None)


def log(msg=''):
    print(msg, flush=True)


CURRENT = []  # process group of the command running now, for on_signal()


def on_signal(signum, frame):
    for pgid in CURRENT:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    raise KeyboardInterrupt


def run(cmd, cwd, timeout, env=None, logf=None):
    """Run cmd in its own process group; kill the whole group on timeout.
    Returns (status, seconds) where status is 'ok', 'fail' or 'timeout'."""
    t0 = time.time()
    out = open(logf, 'w') if logf else subprocess.DEVNULL
    try:
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True)
        CURRENT[:] = [p.pid]
        try:
            rc = p.wait(timeout=timeout)
            status = 'ok' if rc == 0 else 'fail'
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
            status = 'timeout'
        # leftovers of this run (servers a test started) go with the group
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        CURRENT[:] = []
    finally:
        if logf:
            out.close()
    return status, time.time() - t0


def node_concurrency_flag():
    try:
        v = subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()
        major, minor = (int(x) for x in v.lstrip('v').split('.')[:2])
    except (OSError, ValueError):
        return []
    return ['--test-concurrency=1'] if (major, minor) >= (20, 10) else []


class Runner:
    def __init__(self, copy, timeout, logdir):
        self.copy = copy
        self.timeout = timeout
        self.logdir = logdir
        self.bin = os.path.join(copy, 'build', 'alo153')
        self.env = dict(os.environ, ALO153_BIN=self.bin)
        self.node_flags = node_concurrency_flag()

    def target_path(self, t):
        kind, _, name = t.partition(':')
        if kind == 'unit':
            return os.path.join('tests', 'unit', name + '.c')
        if kind == 'store':
            return os.path.join('tests', 'store', name + '.c')
        if kind in ('api', 'api-pg'):
            return os.path.join('tests', 'api', name + '.test.mjs')
        if kind == 'browser':
            return os.path.join('tests', 'browser', name + '.test.mjs')
        if kind == 'fault':
            return os.path.join('tests', 'fault', 'run.sh')
        if kind == 'fuzz':
            return os.path.join('tests', 'fuzz', name + '.c')
        if kind == 'ami':
            return os.path.join('tests', 'ami', 'run.sh')
        if kind == 'check':  # the static checks (scripts/check.sh), e.g. duplicate i18n keys
            return os.path.join('scripts', 'check.sh')
        return os.path.join('tests', 'routing', 'accuracy.sh')

    def exists(self, t):
        return os.path.isfile(os.path.join(self.copy, self.target_path(t)))

    def build(self, targets, logname, changed=()):
        """make all and the unit tests named; `changed` files count as newer than anything
        built (make -W), whatever their mtime says: a mutated or restored file is always
        recompiled, with everything that includes it."""
        units = sorted({'build/tests/' + t.split(':', 1)[1] for t in targets
                        if t.startswith('unit:') and self.exists(t)} |
                       {'build/tests/store/' + t.split(':', 1)[1] for t in targets
                        if t.startswith('store:') and self.exists(t)})
        what_if = [a for f in sorted(changed) for a in ('-W', f)]
        cmd = ['make', '-j2', '--no-print-directory'] + what_if + ['all'] + units
        status, _ = run(cmd, self.copy, 1800, logf=os.path.join(self.logdir, logname))
        return status == 'ok'

    def command(self, t):
        kind, _, name = t.partition(':')
        if kind == 'unit':
            return [os.path.join(self.copy, 'build', 'tests', name)]
        if kind == 'store':
            return [os.path.join(self.copy, 'build', 'tests', 'store', name)]
        if kind in ('api', 'browser'):
            return ['node', '--test'] + self.node_flags + [self.target_path(t)]
        if kind == 'api-pg':  # the same API test on a throw-away PostgreSQL
            return (['bash', 'scripts/pg-test.sh', 'node', '--test'] + self.node_flags +
                    [self.target_path(t)])
        if kind == 'fault':
            return ['bash', 'tests/fault/run.sh']
        if kind == 'fuzz':  # 60 s of libFuzzer from the seed corpus (scripts/fuzz.sh)
            return ['bash', 'scripts/fuzz.sh', '60', name]
        if kind == 'ami':
            return ['bash', 'tests/ami/run.sh']
        if kind == 'check':
            return ['bash', 'scripts/check.sh']
        return ['bash', 'tests/routing/accuracy.sh']

    def test(self, t, logname):
        return run(self.command(t), self.copy, self.timeout, env=self.env,
                   logf=os.path.join(self.logdir, logname))


def make_copy(src, dest, rev=None):
    """Tracked files plus untracked, not-ignored ones (new tests), as they are in the working
    tree; build trees and test output left out. With rev: the files of that commit instead
    (git archive). node_modules is linked, web/vendor copied."""
    n = 0
    if rev:
        tar = subprocess.run(['git', '-C', src, 'archive', '--format=tar', rev],
                             capture_output=True, check=True).stdout
        subprocess.run(['tar', '-x', '-C', dest], input=tar, check=True)
        names = []
    else:
        names = subprocess.run(['git', '-C', src, 'ls-files', '-z', '--cached', '--others',
                                '--exclude-standard'], capture_output=True, check=True).stdout
        names = names.decode().split('\0')
    for rel in sorted(set(names)):
        if not rel or re.match(r'(build[^/]*|test-output)/', rel):
            continue
        s = os.path.join(src, rel)
        if not os.path.isfile(s) or os.path.islink(s):
            continue
        d = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(d), exist_ok=True)
        shutil.copy2(s, d)
        n += 1
    if os.path.isdir(os.path.join(src, 'node_modules')):
        os.symlink(os.path.join(src, 'node_modules'), os.path.join(dest, 'node_modules'))
    if os.path.isdir(os.path.join(src, 'web', 'vendor')):
        shutil.copytree(os.path.join(src, 'web', 'vendor'), os.path.join(dest, 'web', 'vendor'),
                        dirs_exist_ok=True)
    if rev:
        n = sum(len(f) for _, _, f in os.walk(dest))
    return n


def file_reader(root):
    def reader(rel):
        p = os.path.join(root, rel)
        return read(p) if os.path.isfile(p) else None
    return reader


def rev_reader(src, rev):
    def reader(rel):
        r = subprocess.run(['git', '-C', src, 'show', f'{rev}:{rel}'], capture_output=True)
        return r.stdout.decode('utf-8') if r.returncode == 0 else None
    return reader


def apply(m, copy):
    """Apply m's edits; return {path: original text} for restore()."""
    saved = {}
    for e in m.edits:
        p = os.path.join(copy, e.file)
        if p not in saved:
            saved[p] = read(p)
        text = read(p)
        write(p, text.replace(e.original, e.replacement, 1))
    for p in saved:
        touch(p)
    return saved


def restore(saved):
    for p, text in saved.items():
        write(p, text)
        touch(p)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--list', action='store_true', help='print the mutations and exit')
    ap.add_argument('--only', help='comma-separated ids (or id prefixes ending in *)')
    ap.add_argument('--layer', help='comma-separated layers')
    ap.add_argument('--min', type=float, help='exit 4 when the score is below this percentage')
    ap.add_argument('--timeout', type=int, default=900, help='seconds per test run (default 900)')
    ap.add_argument('--src', default=DEFAULT_SRC, help='the working tree to copy (default: this one)')
    ap.add_argument('--rev', help='mutate this commit of --src (git archive) instead of its working '
                    'tree; the list is still read from the working tree')
    ap.add_argument('--keep', action='store_true', help='keep the copy and its logs')
    ap.add_argument('--markdown', help='also write the result table (Markdown) to this file')
    args = ap.parse_args()

    src = os.path.abspath(args.src)
    muts = parse_list(os.path.join(src, LIST))
    if args.only:
        want = [w for w in args.only.split(',') if w]
        def chosen(m):
            return any(m.id == w or (w.endswith('*') and m.id.startswith(w[:-1])) for w in want)
        unknown = [w for w in want if not w.endswith('*') and w not in {m.id for m in muts}]
        if unknown:
            sys.exit(f'mutate: unknown id(s): {", ".join(unknown)} (see --list)')
        muts = [m for m in muts if chosen(m)]
    if args.layer:
        layers = set(args.layer.split(','))
        muts = [m for m in muts if m.layer in layers]
    if args.list:
        check_stale(muts, rev_reader(src, args.rev) if args.rev else file_reader(src))
        for m in muts:
            state = f'  STALE: {m.stale}' if m.stale else ''
            log(f'{m.id:28} {m.layer:6} {" ".join(m.tests)}{state}')
            log(f'{"":28} {m.desc}')
        per = collections.Counter(m.layer for m in muts)
        log(f'\n{len(muts)} mutations: ' + ', '.join(f'{k} {v}' for k, v in sorted(per.items())))
        return 3 if any(m.stale for m in muts) else 0

    started = datetime.datetime.now()
    copy = tempfile.mkdtemp(prefix='alo153-mutate-')
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        return mutate(args, src, muts, copy, started)
    except KeyboardInterrupt:
        log('mutate: interrupted')
        if not args.keep:
            shutil.rmtree(copy, ignore_errors=True)
        return 130


def mutate(args, src, muts, copy, started):
    logdir = os.path.join(copy, 'mutate-logs')
    what = f'{src} at {args.rev}' if args.rev else src
    log(f'mutate: {len(muts)} mutations; copying {what} to {copy}')
    nfiles = make_copy(src, copy, args.rev)
    os.makedirs(logdir)
    check_stale(muts, file_reader(copy))  # against exactly what is mutated
    r = Runner(copy, args.timeout, logdir)
    live = [m for m in muts if not m.stale]
    targets = sorted({t for m in live for t in m.tests},
                     key=lambda t: (KIND_ORDER[t.split(':')[0]], t))
    missing = [t for t in targets if not r.exists(t)]
    for t in missing:
        log(f'mutate: WARNING: test {t} ({r.target_path(t)}) does not exist; it is skipped')
    targets = [t for t in targets if t not in missing]

    log(f'mutate: {nfiles} files copied; building (make all and the unit tests, -O2)')
    t0 = time.time()
    if not r.build(targets, 'build-baseline.log'):
        log(f'mutate: the UNMUTATED copy does not build; see {logdir}/build-baseline.log')
        print(read(os.path.join(logdir, 'build-baseline.log'))[-4000:])
        return 2
    log(f'mutate: built in {time.time() - t0:.0f} s')

    # Baseline: every named test on the unmutated copy.
    baseline = {}
    log(f'mutate: baseline, {len(targets)} test runs without any mutation')
    for t in targets:
        name = f'baseline-{t.replace(":", "-")}'
        status, secs = r.test(t, name + '.log')
        mark = 'ok'
        if status != 'ok':
            # once more: a test that fails only now and then is flaky, not failing
            again, more = r.test(t, name + '-again.log')
            secs += more
            if again == 'ok':
                mark = f'ok, but FLAKY (first run: {status})'
            else:
                mark = f'FAILS UNMUTATED ({status})'
                failed = [ln.rstrip() for ln in open(os.path.join(logdir, name + '.log'),
                                                        errors='replace') if ln.startswith('not ok')]
                for ln in failed[:8]:
                    log(f'      {ln[:110]}')
            status = again
        baseline[t] = status
        log(f'  {t:32} {mark:28} {secs:6.0f} s')
    bad = [t for t in targets if baseline[t] != 'ok']
    if bad:
        log('')
        log('!' * 78)
        log(f'!! BASELINE: {len(bad)} test(s) FAIL WITHOUT ANY MUTATION: {", ".join(bad)}')
        log('!! They cannot catch anything; mutations that only they would judge are')
        log('!! reported as baseline-failing. Logs: ' + logdir)
        log('!' * 78)
        log('')

    restored = set()  # files put back after the previous mutation: rebuild them too
    for i, m in enumerate(muts, 1):
        head = f'[{i}/{len(muts)}] {m.id} ({m.layer})'
        if m.stale:
            m.outcome = 'stale'
            m.detail = m.stale
            log(f'{head}: STALE: {m.stale}')
            continue
        t0 = time.time()
        saved = apply(m, copy)
        try:
            changed = restored | {e.file for e in m.edits}
            if not r.build(m.tests, f'build-{m.id}.log', changed):
                m.outcome, m.detail = 'invalid', f'does not build (mutate-logs/build-{m.id}.log)'
            else:
                usable = [t for t in sorted(m.tests, key=lambda t: (KIND_ORDER[t.split(':')[0]], t))
                          if t in baseline and baseline[t] == 'ok']
                skipped_bl = [t for t in m.tests if t in baseline and baseline[t] != 'ok']
                m.outcome = None
                for t in usable:
                    status, secs = r.test(t, f'{m.id}-{t.replace(":", "-")}.log')
                    if status == 'fail':
                        m.outcome, m.detail = 'caught', t
                        break
                    if status == 'timeout':
                        m.outcome, m.detail = 'caught (timeout)', t
                        break
                if m.outcome is None:
                    if skipped_bl:
                        m.outcome = 'baseline-failing'
                        m.detail = 'passed ' + (' '.join(usable) or 'nothing') + \
                                   '; failing unmutated: ' + ' '.join(skipped_bl)
                    else:
                        m.outcome = 'not caught'
                        ran = ' '.join(usable) or 'no test exists'
                        gone = [t for t in m.tests if t not in baseline]
                        m.detail = f'passed: {ran}' + (f'; missing: {" ".join(gone)}' if gone else '')
        finally:
            restore(saved)
            restored = {e.file for e in m.edits}
        m.seconds = time.time() - t0
        log(f'{head}: {m.outcome.upper() if m.outcome == "not caught" else m.outcome}'
            f' — {m.detail} [{m.seconds:.0f} s]')
        log(f'    {m.desc}')

    # Summary.
    caught = [m for m in muts if m.outcome in ('caught', 'caught (timeout)')]
    missed = [m for m in muts if m.outcome == 'not caught']
    other = collections.Counter(m.outcome for m in muts
                                if m.outcome not in ('caught', 'caught (timeout)', 'not caught'))
    log('')
    log(f'{"id":30} {"layer":6} {"outcome":18} detail')
    log('-' * 100)
    for m in muts:
        log(f'{m.id:30} {m.layer:6} {m.outcome:18} {m.detail}')
    log('-' * 100)
    per = collections.OrderedDict()
    for m in muts:
        c = per.setdefault(m.layer, [0, 0])
        if m in caught:
            c[0] += 1
        if m in caught or m in missed:
            c[1] += 1
    log('per layer (caught/judged): ' + ', '.join(f'{k} {v[0]}/{v[1]}' for k, v in per.items()))
    judged = len(caught) + len(missed)
    score = 100.0 * len(caught) / judged if judged else 0.0
    extra = ''.join(f', {v} {k}' for k, v in sorted(other.items()))
    elapsed = datetime.datetime.now() - started
    log(f'{len(muts)} mutations: {len(caught)} caught, {len(missed)} not caught{extra}; '
        f'{str(elapsed).split(".")[0]} elapsed')
    if missed:
        log('not caught: ' + ', '.join(m.id for m in missed))
    if bad:
        log(f'BASELINE FAILURES: {", ".join(bad)}')
    if missing:
        log(f'missing tests: {", ".join(missing)}')
    log(f'mutation score: {len(caught)}/{judged} = {score:.1f} %')

    if args.markdown:
        with open(args.markdown, 'w', encoding='utf-8') as f:
            f.write(f'Run of {started:%Y-%m-%d %H:%M} ({str(elapsed).split(".")[0]}): '
                    f'**{len(caught)}/{judged} = {score:.1f} %**{extra}.\n\n')
            f.write('| id | layer | outcome | detail | what |\n|---|---|---|---|---|\n')
            for m in muts:
                f.write(f'| `{m.id}` | {m.layer} | {m.outcome} | {m.detail.replace("|", "/")} | '
                        f'{m.desc.replace("|", "/")} |\n')

    if args.keep:
        if restored and not r.build(targets, 'build-final.log', restored):
            log('mutate: WARNING: the restored copy did not build again')
        log(f'mutate: the copy and its logs are kept in {copy}')
    else:
        shutil.rmtree(copy, ignore_errors=True)
    if any(m.outcome == 'stale' for m in muts):
        log('mutate: some mutations are STALE: update tests/mutations/mutations.tsv')
        return 3
    if args.min is not None and score < args.min:
        log(f'mutate: score {score:.1f} % is below --min {args.min:g} %')
        return 4
    return 0


if __name__ == '__main__':
    sys.exit(main())
