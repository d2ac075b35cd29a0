#!/usr/bin/env python3
"""check_paths.py - no file of the repository depends on a path outside the checkout.

    python3 ci/check_paths.py              # the files git knows (tracked, and new ones not ignored)
    python3 ci/check_paths.py --self-test  # prove that each rule can fail

A clone has only what is in it. This fails on:
  - an absolute path of a developer machine: /work/, /root/, /home/, /Users/, /tmp/ (a scratch
    file made with mkdtemp/mkstemp, a name ending in XXXXXX, is fine);
  - ../shared (the folder beside the checkout) outside the documented RFC-text lookup
    (vectors/FORMAT.md, "The RFC texts, and CI");
  - RULINGS.md or DIGEST.md, documents outside the checkout: the spec is spec/.
ALLOW lists the few justified exceptions, each with its reason. corpus/ is skipped: fuzz inputs
are arbitrary bytes, not references. Exits 1 and names file:line for every hit.
"""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SELF = "ci/check_paths.py"

# (rule, pattern). A path starts after a character that cannot be part of a path word, so
# "https://example.com/home/" is not a machine path but "file:///home/x" is.
RULES = [
    ("absolute machine path", re.compile(r"(?:^|[^A-Za-z0-9_.~-])(/(?:work|root|home|Users|tmp)/)")),
    ("../shared outside the checkout", re.compile(r"\.\./shared\b")),
    ("a document outside the checkout (the spec is spec/)", re.compile(r"\b(?:RULINGS|DIGEST)\.md\b")),
]
MKTEMP = re.compile(r"/tmp/[A-Za-z0-9_.-]*XXXXXX")

# (file glob, what on the line is allowed, why).
ALLOW = [
    ("vectors/lint_vectors.py", r"\.\./shared/rfc",
     "the RFC-text lookup: $MTASTS_RFC_DIR, else ../shared/rfc beside the checkout"),
    ("vectors/FORMAT.md", r"\.\./shared/rfc", "documents that lookup"),
    ("spec/README.md", r"\.\./shared/rfc", "documents that lookup"),
    ("README.md", r"\.\./shared/rfc", "documents that lookup"),
    ("parser/CMakeLists.txt", r'RELATIVE_PATH MTASTS_PC_UP "/root/',
     "a made-up root to compute the way back from libdir/pkgconfig to the prefix; nothing is read"),
    ("cli/tests/record_resolve_samples.sh", r"/tmp/mtasts-samples",
     "the recorder's fixed scratch folder, which shows in the samples it records"),
    ("cli/tests/resolve_samples/*.json", r"/tmp/mtasts-samples/", "recorded by that recorder"),
    (".clusterfuzzlite/build.sh", r"OUT=/tmp/out", "a usage example in a comment"),
    ("conformance/world/README.md", r"/tmp/w\b", "a usage example: a scratch run folder"),
]


def repo_files(root: str) -> list:
    out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                          "--exclude-standard"], check=True, capture_output=True).stdout
    return sorted({p for p in out.decode("utf-8", "surrogateescape").split("\0") if p})


def allowed(path: str, line: str) -> bool:
    return any(fnmatch.fnmatch(path, g) and re.search(p, line) for g, p, _ in ALLOW)


def check(root: str, files=None) -> list:
    hits = []
    for path in files if files is not None else repo_files(root):
        if path == SELF or path.startswith("corpus/"):
            continue
        full = os.path.join(root, path)
        try:
            with open(full, "rb") as f:
                data = f.read()
        except OSError:
            continue  # deleted in the work tree, or not a file
        if b"\0" in data:
            continue  # binary
        for n, line in enumerate(data.decode("utf-8", "replace").split("\n"), start=1):
            bare = MKTEMP.sub("", line)  # mkdtemp templates are scratch, not references
            rules = [rule for rule, pat in RULES if pat.search(bare)]
            if rules and not allowed(path, line):
                hits.append(f"{path}:{n}: {'; '.join(rules)}: {line.strip()[:120]}")
    return hits


def self_test() -> int:
    """Each rule fails on a bad file, and the exceptions stay exceptions."""
    cases = [
        ("docs/a.md", "see /work/main/build/x", "absolute machine path"),
        ("docs/b.md", "results in /home/dev/out", "absolute machine path"),
        ("docs/c.md", "cat /tmp/results.txt", "absolute machine path"),
        ("docs/d.md", "read ../shared/rfc/rfc8461.txt", "../shared outside"),
        ("docs/e.md", "as RULINGS.md says", "a document outside"),
        ("src/f.c", 'char t[] = "/tmp/x-XXXXXX"; /* and /home/me/y */', "absolute machine path"),
    ]
    clean = [
        ("src/g.c", 'char t[] = "/tmp/scratch-XXXXXX";'),
        ("docs/h.md", "https://example.com/home/page and spec/rulings.md"),
        ("vectors/FORMAT.md", "otherwise in `../shared/rfc` beside the checkout"),
    ]
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        for path, text, _ in cases + [(p, t, None) for p, t in clean]:
            os.makedirs(os.path.dirname(os.path.join(d, path)), exist_ok=True)
            with open(os.path.join(d, path), "w", encoding="utf-8") as f:
                f.write(f"line one\n{text}\n")
        for path, _, rule in cases:
            hits = check(d, [path])
            if any(f"{path}:2: {rule}" in h for h in hits):
                print(f"self-test: {path}: detected ({hits[0][:90]})")
            else:
                print(f"self-test: {path}: NOT detected (wanted {rule!r}; got {hits})")
                failures += 1
        for path, _ in clean:
            hits = check(d, [path])
            if hits:
                print(f"self-test: {path}: wrongly reported ({hits})")
                failures += 1
            else:
                print(f"self-test: {path}: not reported, as it should be")
    print(f"self-test: {'FAILED' if failures else 'ok'}")
    return 1 if failures else 0


def main(argv: list) -> int:
    if argv[1:] == ["--self-test"]:
        return self_test()
    if argv[1:]:
        print(__doc__)
        return 2
    try:
        files = repo_files(ROOT)
    except (OSError, subprocess.CalledProcessError) as e:
        why = f"no file list from git ({getattr(e, 'stderr', b'') or e})"
        if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
            print(f"check_paths: FAILED, {why}: under CI the check must run")
            return 1
        print(f"check_paths: SKIP, {why}")
        return 77
    hits = check(ROOT, files)
    for h in hits:
        print(h)
    if hits:
        print(f"\ncheck_paths: {len(hits)} reference(s) to paths outside the checkout. Point them "
              f"at spec/ or a path relative to the repository, or add a justified ALLOW entry.")
        return 1
    print(f"check_paths: ok ({len(files)} files; {len(ALLOW)} justified exceptions)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
