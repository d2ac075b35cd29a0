#!/usr/bin/env python3
"""Mutation testing: do the project's own tests notice a small bug?

Each mutant is one small change to one C source of a group (below), built
and run against the group's fast ctest suites in a private copy of the
tree: the working tree is never touched. A mutant is

  killed     a test of the suite failed, crashed or timed out (a hang is
             a kill: the suite noticed; the report counts them apart);
  survived   every test passed: a missing test, or an equivalent program;
  stillborn  it does not compile (warnings are errors), counted apart.

Operators (only inside function bodies; never in comments, strings,
character constants or preprocessor lines):

  rel    boundary shift: < to <=, <= to <, > to >=, >= to >
  eq     == to !=, != to ==
  logic  && to ||, || to &&
  arith  binary + to -, - to +, += to -=, -= to +=
  const  an integer constant: 0 to 1, any other n to n+1 and n-1 (base and
         suffix kept; not the size in an array declaration)
  neg    the condition of an if / while / do-while negated: (c) to (!(c))
  drop   an expression statement that assigns (=, op=, ++, --) or is a
         call, replaced by {}

File-scope tables (the byte classes, the code names) are data, not
mutated. Mutants are numbered per group in file order (the GROUPS table),
then by position, then by operator: the same tree gives the same numbers.

Equivalent mutants. A mutant that no test can kill because the program
still means the same is marked in the source: a trailing comment covers
its own line, a comment alone on its line(s) covers the statement or the
if / while condition that starts on the next line, all its lines:

    if (x < n) /* mutant-equivalent: why, in a sentence */
    /* mutant-equivalent(const,rel): why */  <- only those operators' mutants
    /* mutant-equivalent(const=0): why */    <- only the constant mutated to 0

A marked mutant that survives is listed as equivalent, with its reason; a
marked one that is killed is an ordinary kill (the marker is reported as
stale when nothing on its line survives). The score is

    killed / (total - stillborn - marked equivalent)

and the raw figure killed / (total - stillborn) is printed next to it.

Usage:
    ci/mutate.py --group parser [--group engine ...]   run (ci/mutate.sh: all)
    ci/mutate.py --group parser --list                 number every mutant
    ci/mutate.py --group parser --only 17,40-45        run just those
    ci/mutate.py --group parser --diff 17              show one as a diff
    ci/mutate.py --group parser --resume               skip the mutants whose
                                                       result is recorded
    ci/mutate.py --group parser --survivors-of DIR     only those that survived
                                                       in an earlier --out DIR
    ci/mutate.py --self-test                           the tool on a toy file

Options: --jobs N (private copies built side by side, default 1),
--build-jobs N (per copy, default 1), --out DIR (default build-mutate/),
--rev REV (copy a commit, not the working tree), --keep (keep the copies).
Results: OUT/<group>.jsonl (one line per mutant, for --resume),
OUT/<group>.json and OUT/summary.md (every group found in OUT); a run of
--only or --survivors-of writes OUT/<group>.partial.jsonl only.
"""
import argparse
import concurrent.futures
import difflib
import fnmatch
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------------------
# The groups: which files are mutated, and which tests can see them.
#
# files: globs relative to the root; an entry (glob, [function, ...]) limits
# that file to those functions. first: the quick stage, the unit tests run
# first (most mutants die there), their executables (found with ctest
# --show-only) built by name. suite: every test of the group; after the
# quick stage the whole tree is built ("all": no stale binary can answer)
# and the rest of the suite runs. A new unit test joins by its name.
# Not in any suite: the world, valgrind, the sanitizer builds, the lints.
# ---------------------------------------------------------------------------
GOLDEN = "cli_golden|cli_golden_resolve|cli_transcripts"

GROUPS = {
    "parser": {
        "files": ["parser/src/*.c"],
        "first": r"^test_[a-z]+$",
        "suite": r"^(test_[a-z]+|engine_test_.*|tls_test_.*"
                 r"|cli_hints|resolver_(cache_file|resolve)|wire_(http_response|smtp_reply|dns_answer)|fuzz_replay_.*"
                 r"|conformance_(all|adapter)|readme_tour|" + GOLDEN + r")$",
    },
    "engine": {
        "files": ["engine/src/*.c"],
        "first": r"^engine_test_[a-z_]+$",
        "suite": r"^(engine_test_.*|fuzz_replay_fetch|" + GOLDEN + r")$",
    },
    # The readers of untrusted bytes of the resolver.
    "readers": {
        "files": ["wire/src/*.c"],
        "first": r"^wire_(http_response|smtp_reply|dns_answer)$",
        "suite": r"^(wire_(http_response|smtp_reply|dns_answer)|cli_golden_resolve"
                 r"|fuzz_replay_(http_response|smtp_reply))$",
    },
    # The TLS-RPT aggregate report reader (untrusted JSON from any sender).
    "report": {
        "files": ["report/src/*.c"],
        "first": r"^test_report(_[a-z]+)?$",
        "suite": r"^(test_report(_[a-z]+)?|fuzz_replay_report)$",
    },
}

CMAKE_OPTIONS = ["-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DMTASTS_BUILD_TESTS=ON",
                 "-DCMAKE_C_COMPILER=gcc"]
OPERATORS = ["rel", "eq", "logic", "arith", "const", "neg", "drop"]
MARKER = re.compile(r"mutant-equivalent(?:\(([^)]+)\))?:\s*(.*?)\s*(?:\*/)?\s*$", re.S)

# ---------------------------------------------------------------------------
# A small C tokenizer and statement reader: enough for this project's C11.
# ---------------------------------------------------------------------------
TOKEN = re.compile(r"""
  (?P<ws>[ \t\f\v\r\n]+)
| (?P<com>//[^\n]*|/\*.*?\*/)
| (?P<str>(?:u8|[uUL])?"(?:\\.|[^"\\\n])*")
| (?P<chr>[uUL]?'(?:\\.|[^'\\\n])*')
| (?P<num>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*)
| (?P<id>[A-Za-z_][A-Za-z_0-9]*)
| (?P<op>\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|\#\#
        |[][(){};,.?:~!<>=+\-*/%&|^\#])
""", re.S | re.X)

TYPE_WORDS = {"void", "char", "short", "int", "long", "float", "double", "signed", "unsigned",
              "_Bool", "bool", "const", "volatile", "static", "extern", "register", "struct",
              "union", "enum", "typedef", "inline", "restrict", "_Atomic", "auto",
              "_Static_assert", "static_assert", "_Alignas", "_Thread_local"}
KEYWORDS = TYPE_WORDS | {"if", "else", "while", "for", "do", "switch", "case", "default",
                         "return", "break", "continue", "goto", "sizeof", "_Alignof"}
ASSIGN = {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "++", "--"}
REL_SHIFT = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
SWAP = {"==": ("eq", "!="), "!=": ("eq", "=="), "&&": ("logic", "||"), "||": ("logic", "&&"),
        "+": ("arith", "-"), "-": ("arith", "+"), "+=": ("arith", "-="), "-=": ("arith", "+=")}
COMMENT = re.compile(r"/\*.*?(\*/|$)|//.*$")
INT_LITERAL = re.compile(r"^(0[xX][0-9A-Fa-f]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$")


class Tok:
    __slots__ = ("kind", "text", "start", "end", "line")

    def __init__(self, kind, text, start, end, line):
        self.kind, self.text, self.start, self.end, self.line = kind, text, start, end, line


def tokenize(text):
    """Code tokens and comments; preprocessor lines are dropped whole."""
    toks, comments = [], []
    pos, line, line_start = 0, 1, True
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if m is None:  # a stray byte (e.g. "@" or "$"): step over it
            pos += 1
            continue
        kind, s = m.lastgroup, m.group()
        if kind == "op" and s == "#" and line_start:
            end = directive_end(text, pos)
            line += text.count("\n", pos, end)
            pos = end
            continue
        if kind == "com":
            comments.append(Tok(kind, s, pos, m.end(), line))
        elif kind != "ws":
            toks.append(Tok(kind, s, pos, m.end(), line))
        if kind == "ws" and "\n" in s:
            line_start = True
        elif kind != "com":
            line_start = False
        line += s.count("\n")
        pos = m.end()
    return toks, comments


def directive_end(text, pos):
    """Where the preprocessor line starting at pos ends (its newline)."""
    while pos < len(text):
        c = text[pos]
        if c == "\\" and text.startswith("\n", pos + 1):
            pos += 2
        elif text.startswith("/*", pos):
            close = text.find("*/", pos + 2)
            pos = len(text) if close < 0 else close + 2
        elif c == "\n":
            return pos
        else:
            pos += 1
    return pos


class Unit:
    """One C file read into functions, statements and conditions."""

    def __init__(self, text):
        self.text = text
        self.toks, self.comments = tokenize(text)
        self.match = self._brackets()
        self.functions = []  # (name, open brace index, close brace index)
        self.conditions = []  # (open paren index, close paren index)
        self.drops = []  # (first token index, ";" index) of droppable statements
        self.dims = set()  # token indexes of array sizes in declarations
        self._file_scope()

    def _brackets(self):
        match, stack = {}, []
        for i, t in enumerate(self.toks):
            if t.kind != "op":
                continue
            if t.text in "([{":
                stack.append(i)
            elif t.text in ")]}":
                if not stack:
                    raise ValueError(f"unbalanced {t.text!r} on line {t.line}")
                j = stack.pop()
                match[i], match[j] = j, i
        if stack:
            raise ValueError(f"unclosed {self.toks[stack[-1]].text!r} on line {self.toks[stack[-1]].line}")
        return match

    def _file_scope(self):
        toks, i, start = self.toks, 0, 0
        while i < len(toks):
            t = toks[i].text
            if t == ";":
                start = i + 1
            elif t in ("(", "["):
                i = self.match[i]
            elif t == "{":
                if i > start and toks[i - 1].text == ")":
                    paren = next(k for k in range(start, i) if toks[k].text == "(")
                    name = toks[paren - 1].text if paren > start else "?"
                    self.functions.append((name, i, self.match[i]))
                    self._block(i)
                    start = self.match[i] + 1
                i = self.match[i]
            i += 1

    def _block(self, i):
        j = i + 1
        while j < self.match[i]:
            j = self._statement(j)

    def _skip_to(self, j, text):
        while self.toks[j].text != text:
            j = self.match[j] if self.toks[j].text in "([{" else j
            j += 1
        return j

    def _statement(self, j):
        toks = self.toks
        t = toks[j].text
        if t == "{":
            self._block(j)
            return self.match[j] + 1
        if t in ("if", "while", "switch", "for"):
            close = self.match[j + 1]
            if t in ("if", "while"):
                self.conditions.append((j + 1, close))
            k = self._statement(close + 1)
            if t == "if" and k < len(toks) and toks[k].text == "else":
                k = self._statement(k + 1)
            return k
        if t == "do":
            k = self._statement(j + 1)  # toks[k] is "while"
            self.conditions.append((k + 1, self.match[k + 1]))
            return self._skip_to(k, ";") + 1
        if t in ("case", "default"):
            return self._skip_to(j, ":") + 1
        if toks[j].kind == "id" and t not in KEYWORDS and toks[j + 1].text == ":":
            return j + 2  # a label
        end = self._skip_to(j, ";")
        self._simple(j, end)
        return end + 1

    def _simple(self, j, end):
        toks = self.toks
        first, second = toks[j], toks[j + 1]
        if first.text in ("return", "break", "continue", "goto", ";"):
            return
        is_decl = first.text in TYPE_WORDS or (
            first.kind == "id" and first.text not in KEYWORDS
            and (second.kind == "id" or second.text == "*"))
        if is_decl:
            k = j
            while k < end:
                if toks[k].text == "[":
                    self.dims.update(range(k + 1, self.match[k]))
                if toks[k].text in "([{":
                    k = self.match[k]
                k += 1
            return
        depth_zero, k = [], j
        while k < end:
            depth_zero.append(toks[k].text)
            k = self.match[k] if toks[k].text in "([{" else k
            k += 1
        is_call = first.kind == "id" and second.text == "(" and self.match[j + 1] == end - 1
        if is_call or any(x in ASSIGN for x in depth_zero):
            self.drops.append((j, end))

    def in_function(self, i, names=None):
        for name, lo, hi in self.functions:
            if lo < i < hi and (names is None or name in names):
                return True
        return False

    def is_binary(self, i):
        """Is the + or - at token i a binary operator?"""
        prev = self.toks[i - 1] if i > 0 else None
        if prev is None:
            return False
        if prev.kind in ("num", "str", "chr"):
            return True
        if prev.kind == "id":
            return prev.text not in KEYWORDS
        if prev.text == "]":
            return True
        if prev.text != ")":
            return False
        opening = self.match[i - 1]
        before = self.toks[opening - 1] if opening > 0 else None
        if before is not None and (before.kind == "id" or before.text in (")", "]")):
            return True  # a call, sizeof(...), or a call through a pointer
        inner = self.toks[opening + 1:i - 1]
        looks_like_type = inner and all(x.kind == "id" or x.text == "*" for x in inner) and (
            any(x.text in TYPE_WORDS or x.text == "*" for x in inner)
            or inner[-1].text.endswith("_t") or len(inner) > 1)
        return not looks_like_type


def const_replacements(text):
    m = INT_LITERAL.match(text)
    if m is None:
        return []
    digits, suffix = m.groups()
    if digits.lower().startswith("0x"):
        value = int(digits, 16)
        upper = not any(c in "abcdef" for c in digits[2:])
        fmt = (lambda v: digits[:2] + (f"{v:X}" if upper else f"{v:x}").rjust(len(digits) - 2, "0"))
    elif len(digits) > 1 and digits[0] == "0":
        value, fmt = int(digits, 8), (lambda v: "0" + format(v, "o"))
    else:
        value, fmt = int(digits), str
    values = [1] if value == 0 else [value + 1, value - 1]
    return [fmt(v) + suffix for v in values]


# ---------------------------------------------------------------------------
# Mutants
# ---------------------------------------------------------------------------
class Mutant:
    def __init__(self, path, op, start, end, replacement, unit):
        self.path, self.op, self.start, self.end, self.replacement = path, op, start, end, replacement
        text = unit.text
        self.line = text.count("\n", 0, start) + 1
        self.original = text[start:end]
        self.id = 0
        self.equivalent = None  # the reason, when a marker covers it
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        before = text[line_start:line_end]
        after = text[line_start:start] + replacement + text[end:line_end]
        self.before = " ".join(COMMENT.sub(" ", before).split())
        self.after = " ".join(COMMENT.sub(" ", after).split())
        # Stable across unrelated edits elsewhere: file, operator, the line's
        # text and which occurrence on the line.
        key = f"{path}|{op}|{self.before}|{self.after}|{start - line_start}"
        self.fingerprint = hashlib.sha1(key.encode()).hexdigest()[:12]

    def describe(self):
        if self.op == "drop" or self.op == "neg":
            a = " ".join(self.original.split())
            b = " ".join(self.replacement.split())
            if len(a) > 70:
                a, b = a[:67] + "...", (b[:67] + "..." if self.op == "drop" else "!(" + a[:64] + "...)")
            return f"{a} → {b}"
        return f"{self.before} → {self.after}"

    def record(self):
        return {"id": self.id, "file": self.path, "line": self.line, "op": self.op,
                "original": self.original if self.op != "neg" else self.original[:200],
                "mutant": self.describe(), "fingerprint": self.fingerprint,
                **({"equivalent": self.equivalent} if self.equivalent is not None else {})}


def file_mutants(root, path, functions=None):
    with open(os.path.join(root, path), encoding="utf-8") as f:
        text = f.read()
    unit = Unit(text)
    out = []
    for i, t in enumerate(unit.toks):
        if not unit.in_function(i, functions):
            continue
        if t.kind == "op" and t.text in REL_SHIFT:
            out.append(Mutant(path, "rel", t.start, t.end, REL_SHIFT[t.text], unit))
        elif t.kind == "op" and t.text in SWAP:
            op, new = SWAP[t.text]
            if op != "arith" or t.text in ("+=", "-=") or unit.is_binary(i):
                out.append(Mutant(path, op, t.start, t.end, new, unit))
        elif t.kind == "num" and i not in unit.dims:
            for new in const_replacements(t.text):
                out.append(Mutant(path, "const", t.start, t.end, new, unit))
    for lo, hi in unit.conditions:
        if unit.in_function(lo, functions):
            a, b = unit.toks[lo + 1].start, unit.toks[hi - 1].end
            out.append(Mutant(path, "neg", a, b, "!(" + text[a:b] + ")", unit))
    for lo, hi in unit.drops:
        if unit.in_function(lo, functions):
            out.append(Mutant(path, "drop", unit.toks[lo].start, unit.toks[hi].end, "{}", unit))
    out.sort(key=lambda m: (m.start, OPERATORS.index(m.op), m.end, m.replacement))
    apply_markers(unit, out, path)
    return out


def apply_markers(unit, mutants, path):
    """Mark the mutants that a mutant-equivalent comment covers."""
    code_lines = {}
    for t in unit.toks:
        code_lines.setdefault(t.line, t.start)
    marks = {}  # line -> [(operators or None, reason)]
    for c in unit.comments:
        if "mutant-equivalent" not in c.text:
            continue
        m = MARKER.search(c.text)
        if m is None or not m.group(2):
            sys.exit(f"!! {path}:{c.line}: a mutant-equivalent marker needs "
                     "\"mutant-equivalent[(op[=text],...)]: reason\"")
        ops = None if m.group(1) is None else {tuple(o.strip().partition("=")[::2])
                                                for o in m.group(1).split(",")}
        unknown = {op for op, _ in ops or ()} - set(OPERATORS)
        if unknown:
            sys.exit(f"!! {path}:{c.line}: unknown operator(s) in a marker: {', '.join(unknown)}")
        reason = " ".join(re.sub(r"\n\s*\*(?!/)", " ", m.group(2)).replace("*/", "").split())
        if c.line in code_lines and code_lines[c.line] < c.start:
            lines = [c.line]  # a trailing comment: its own line
        else:  # a comment alone: the statement or condition that starts next
            end_line = c.line + c.text.count("\n")
            later = [ln for ln in code_lines if ln > end_line]
            if not later:
                continue
            lines = range(min(later), statement_end_line(unit, min(later)) + 1)
        for line in lines:
            marks.setdefault(line, []).append((ops, reason))
    for mu in mutants:
        for ops, reason in marks.get(mu.line, []):
            if ops is None or (mu.op, "") in ops or (mu.op, mu.replacement) in ops:
                mu.equivalent = reason


def statement_end_line(unit, line):
    """The last line of what starts on `line`: an if / while / for / switch
    (after any "} else") up to its condition's ")", anything else up to its
    ";" or "{"."""
    toks = unit.toks
    i = next(k for k, t in enumerate(toks) if t.line == line)
    while i < len(toks) and toks[i].text in ("}", "else"):
        i += 1
    if i + 1 < len(toks) and toks[i].text in ("if", "while", "for", "switch") \
            and toks[i + 1].text == "(":
        return toks[unit.match[i + 1]].line
    while i < len(toks) and toks[i].text not in (";", "{"):
        i = unit.match[i] + 1 if toks[i].text in ("(", "[") else i + 1
    return toks[min(i, len(toks) - 1)].line


def group_mutants(root, group):
    mutants = []
    for entry in GROUPS[group]["files"]:
        pattern, functions = (entry, None) if isinstance(entry, str) else entry
        paths = sorted(glob.glob(os.path.join(root, pattern)))
        if not paths:
            sys.exit(f"!! group {group}: no file matches {pattern}")
        for p in paths:
            rel = os.path.relpath(p, root)
            mutants.extend(file_mutants(root, rel, None if functions is None else set(functions)))
    for n, mu in enumerate(mutants, 1):
        mu.id = n
    return mutants


def mutated_text(root, mu):
    with open(os.path.join(root, mu.path), encoding="utf-8") as f:
        text = f.read()
    return text[:mu.start] + mu.replacement + text[mu.end:]


# ---------------------------------------------------------------------------
# Running: one private copy of the tree per worker
# ---------------------------------------------------------------------------
def run(cmd, cwd=None, timeout=None):
    return subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace", timeout=timeout)


def tree_files(root, rev):
    if rev is not None:
        return None
    out = run(["git", "-C", root, "ls-files", "-z", "-co", "--exclude-standard"])
    if out.returncode != 0:
        sys.exit("!! git ls-files failed:\n" + out.stdout)
    return [p for p in out.stdout.split("\0") if p and os.path.isfile(os.path.join(root, p))]


def copy_tree(root, dest, rev, files):
    os.makedirs(dest)
    if rev is not None:
        archive = subprocess.run(["git", "-C", root, "archive", rev], stdout=subprocess.PIPE,
                                 check=True)
        subprocess.run(["tar", "-x", "-C", dest], input=archive.stdout, check=True)
        return
    for p in files:
        target = os.path.join(dest, p)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(root, p), target)


# "  3/9 Test  #6: test_txt ......Subprocess aborted***Exception:   0.05 sec"
CTEST_LINE = re.compile(r"^\s*\d+/\d+ Test\s+#\d+: (\S+) \.*\s*(.*?)\s+([0-9.]+) sec\s*$", re.M)


class CMakeWorker:
    """A copy of the tree, configured and built once, then one mutant at a time."""

    def __init__(self, base, n, args, group):
        self.src = os.path.join(base, f"tree{n}")
        self.build = os.path.join(base, f"build{n}")
        self.args, self.group = args, group
        self.durations = {}

    def setup(self, files):
        copy_tree(ROOT, self.src, self.args.rev, files)
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        r = run(["cmake", "-S", self.src, "-B", self.build, *generator, *CMAKE_OPTIONS])
        if r.returncode != 0:
            sys.exit("!! configure of the private copy failed:\n" + r.stdout[-3000:])
        r = self._build(None)
        if r.returncode != 0:
            sys.exit("!! the unmutated copy does not build:\n" + r.stdout[-3000:])
        self.first_targets = self._targets_of(self._first())
        for regex in (self._first(), self._rest()):
            result, out = self._ctest(regex, timeout=600)
            if result != "passed":
                sys.exit(f"!! the unmutated copy fails its own tests ({result}):\n" + out[-3000:])
            for name, status, secs in CTEST_LINE.findall(out):
                self.durations[name] = float(secs or 0)
        if not self.durations:
            sys.exit("!! the suite of group " + self.group + " has no test")

    def _first(self):
        return GROUPS[self.group]["first"]

    def _targets_of(self, regex):
        """The build targets of the tests matching `regex`: each runs an
        executable of the build, named like its target. None (build all)
        if one runs anything else."""
        r = run(["ctest", "--test-dir", self.build, "-R", regex, "--show-only=json-v1"])
        try:
            tests = json.loads(r.stdout)["tests"]
        except (ValueError, KeyError):
            return None
        targets = []
        for t in tests:
            exe = (t.get("command") or [""])[0]
            if not exe.startswith(self.build + os.sep):
                return None
            targets.append(os.path.basename(exe))
        return targets or None

    def _rest(self):
        # The suite without the quick stage's tests (ctest -E excludes them).
        return GROUPS[self.group]["suite"]

    def _build(self, targets):
        cmd = ["cmake", "--build", self.build, "-j", str(self.args.build_jobs)]
        if targets:
            cmd += ["--target", *targets]
        return run(cmd)

    def _ctest(self, regex, timeout, exclude=None):
        cmd = ["ctest", "--test-dir", self.build, "-R", regex, "--stop-on-failure",
               "--timeout", str(timeout), "--no-tests=error"]
        if exclude:
            cmd += ["-E", exclude]
        r = run(cmd)
        failed = [(n, s) for n, s, _ in CTEST_LINE.findall(r.stdout) if s != "Passed"]
        if r.returncode == 0 and not failed:
            return "passed", r.stdout
        if not failed or "Not Run" in failed[0][1]:
            return "error", r.stdout
        name, status = failed[0]
        return ("timeout" if "Timeout" in status else "killed") + ":" + name, r.stdout

    def _timeout(self, regex, exclude=None):
        times = [t for n, t in self.durations.items()
                 if re.search(regex, n) and not (exclude and re.search(exclude, n))]
        return int(max(self.args.timeout, 10 * max(times, default=0)))

    def run_mutant(self, mu, original):
        path = os.path.join(self.src, mu.path)
        write_bumped(path, original[:mu.start] + mu.replacement + original[mu.end:])
        try:
            first = self._first()
            r = self._build(self.first_targets)
            if r.returncode != 0:
                return {"status": "stillborn", "detail": first_error(r.stdout)}
            result, _ = self._ctest(first, self._timeout(first))
            if result != "passed":
                return outcome(result)
            r = self._build(None)
            if r.returncode != 0:
                return {"status": "stillborn", "detail": "the full build: " + first_error(r.stdout)}
            rest = self._rest()
            result, _ = self._ctest(rest, self._timeout(rest, first), exclude=first)
            return outcome(result)
        finally:
            write_bumped(path, original)


def write_bumped(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    now = time.time_ns()
    os.utime(path, ns=(now, now))


def first_error(log):
    for line in log.splitlines():
        if "error" in line:
            return line.strip()[:200]
    return log.strip().splitlines()[-1][:200] if log.strip() else "build failed"


def outcome(result):
    if result == "passed":
        return {"status": "survived"}
    if result == "error":
        return {"status": "error", "detail": "ctest failed without a failing test"}
    kind, test = result.split(":", 1)
    return {"status": kind, "test": test}


def parse_ids(spec, count):
    ids = set()
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        lo, hi = int(lo), int(hi or lo)
        if lo < 1 or hi > count or lo > hi:
            sys.exit(f"!! mutant numbers go from 1 to {count}: {part}")
        ids.update(range(lo, hi + 1))
    return ids


def load_done(jsonl, mutants, retry_survivors=False):
    by_id = {mu.id: mu for mu in mutants}
    done = {}
    if os.path.exists(jsonl):
        with open(jsonl, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                mu = by_id.get(r["id"])
                if mu is not None and mu.fingerprint == r["fingerprint"]:
                    done[mu.id] = r
    again = ("error", "survived") if retry_survivors else ("error",)
    done = {k: r for k, r in done.items() if r["status"] not in again}
    return done


def survivor_fingerprints(out_dir, group):
    """The fingerprints of the mutants that survived (or errored) in an
    earlier run's OUT_DIR/<group>.jsonl: the ones to run again after adding
    tests. A fingerprint does not depend on line numbers, so the mutants
    are found again after edits elsewhere in the file."""
    path = os.path.join(out_dir, f"{group}.jsonl")
    if not os.path.exists(path):
        sys.exit(f"!! no {path}")
    last = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            last[r["fingerprint"]] = r["status"]
    return {fp for fp, st in last.items() if st in ("survived", "error")}


def run_group(group, args, files):
    mutants = group_mutants(ROOT if args.rev is None else args.tree_for_rev, group)
    if args.only:
        wanted = parse_ids(args.only, len(mutants))
        mutants = [mu for mu in mutants if mu.id in wanted]
    if args.survivors_of:
        again = survivor_fingerprints(args.survivors_of, group)
        mutants = [mu for mu in mutants if mu.fingerprint in again]
    jsonl = os.path.join(args.out, f"{group}.jsonl")
    done = load_done(jsonl, mutants, args.retry_survivors) if args.resume else {}
    todo = [mu for mu in mutants if mu.id not in done]
    print(f"== group {group}: {len(mutants)} mutants, {len(todo)} to run, {args.jobs} job(s)",
          flush=True)
    results = dict(done)
    if todo:
        base = tempfile.mkdtemp(prefix=f"mtasts-mutate-{group}-")
        try:
            results.update(run_mutants(group, args, files, base, todo, jsonl))
        finally:
            if args.keep:
                print(f"== private copies kept in {base}")
            else:
                shutil.rmtree(base, ignore_errors=True)
    return mutants, results


def run_mutants(group, args, files, base, todo, jsonl):
    workers = [CMakeWorker(base, n, args, group) for n in range(min(args.jobs, len(todo)))]
    with concurrent.futures.ThreadPoolExecutor(len(workers)) as pool:
        list(pool.map(lambda w: w.setup(files), workers))
    originals = {}
    for mu in todo:
        if mu.path not in originals:
            with open(os.path.join(workers[0].src, mu.path), encoding="utf-8") as f:
                originals[mu.path] = f.read()
    lock, queue, results = threading.Lock(), list(reversed(todo)), {}
    partial = args.only or args.survivors_of
    mode = "a" if args.resume and not partial else "w"
    log = open(jsonl[:-len(".jsonl")] + ".partial.jsonl" if partial else jsonl, mode,
               encoding="utf-8")
    t0 = time.time()

    def work(worker):
        while True:
            with lock:
                if not queue:
                    return
                mu = queue.pop()
            r = worker.run_mutant(mu, originals[mu.path])
            rec = {**mu.record(), **r}
            with lock:
                results[mu.id] = rec
                log.write(json.dumps(rec) + "\n")
                log.flush()
                shown = r["status"] + (" by " + r["test"] if "test" in r else "")
                print(f"[{len(results)}/{len(todo)} {time.time() - t0:.0f}s] #{mu.id} "
                      f"{mu.path}:{mu.line} {mu.op}: {shown}", flush=True)

    try:
        with concurrent.futures.ThreadPoolExecutor(len(workers)) as pool:
            list(pool.map(work, workers))
    finally:
        log.close()
    return results


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------
def summarise(group, mutants, results):
    recs = [results[mu.id] for mu in mutants if mu.id in results]
    by = lambda *s: [r for r in recs if r["status"] in s]  # noqa: E731
    stillborn, killed, timeouts = by("stillborn"), by("killed", "timeout"), by("timeout")
    survived = by("survived")
    equivalent = [r for r in survived if "equivalent" in r]
    missing = [r for r in survived if "equivalent" not in r]
    errors = by("error")
    live = len(recs) - len(stillborn)
    marked_lines = {(r["file"], r["line"]) for r in recs if "equivalent" in r}
    surviving_lines = {(r["file"], r["line"]) for r in equivalent}
    stale = sorted(marked_lines - surviving_lines)
    scored = live - len(equivalent)
    return {
        "group": group, "total": len(recs), "stillborn": len(stillborn), "killed": len(killed),
        "timeouts": len(timeouts), "survived": len(missing), "equivalent": len(equivalent),
        "errors": len(errors),
        "score": round(100.0 * len(killed) / scored, 1) if scored else None,
        "raw_score": round(100.0 * len(killed) / live, 1) if live else None,
        "survivors": [brief(r) for r in missing],
        "equivalents": [{**brief(r), "reason": r["equivalent"]} for r in equivalent],
        "errors_list": [brief(r) for r in errors],
        "stale_markers": [f"{f}:{ln}" for f, ln in stale],
        "by_operator": {op: {"total": sum(1 for r in recs if r["op"] == op and r["status"] != "stillborn"),
                             "killed": sum(1 for r in killed if r["op"] == op)} for op in OPERATORS},
        "by_file": by_file(recs),
    }


def by_file(recs):
    """Per source file: mutants that compile, killed, marked equivalent."""
    out = {}
    for r in recs:
        if r["status"] == "stillborn":
            continue
        f = out.setdefault(r["file"], {"live": 0, "killed": 0, "equivalent": 0})
        f["live"] += 1
        f["killed"] += r["status"] in ("killed", "timeout")
        f["equivalent"] += r["status"] == "survived" and "equivalent" in r
    return out


def brief(r):
    return {"id": r["id"], "where": f"{r['file']}:{r['line']}", "op": r["op"], "mutant": r["mutant"]}


def figure_line(s):
    return (f"{s['group']}: {s['score']} % killed ({s['killed']} of "
            f"{s['total'] - s['stillborn'] - s['equivalent']}: {s['total']} mutants - "
            f"{s['stillborn']} stillborn - {s['equivalent']} marked equivalent; "
            f"{s['timeouts']} of the kills are timeouts); raw {s['raw_score']} % "
            f"({s['killed']} of {s['total'] - s['stillborn']})")


def write_reports(out, summaries):
    for s in summaries:
        with open(os.path.join(out, f"{s['group']}.json"), "w", encoding="utf-8") as f:
            json.dump(s, f, indent=1, ensure_ascii=False)
            f.write("\n")
    all_groups = []
    for g in GROUPS:
        p = os.path.join(out, f"{g}.json")
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                all_groups.append(json.load(f))
    lines = ["# Mutation testing (ci/mutate.py)", "",
             "score = killed / (total - stillborn - marked equivalent); raw = killed / (total - stillborn)",
             "", "| group | mutants | stillborn | killed (timeouts) | survived | marked equivalent "
             "| score | raw |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for s in all_groups:
        lines.append(f"| {s['group']} | {s['total']} | {s['stillborn']} | {s['killed']} "
                     f"({s['timeouts']}) | {s['survived']} | {s['equivalent']} | {s['score']} % "
                     f"| {s['raw_score']} % |")
    for s in all_groups:
        lines += ["", f"## {s['group']}: by file", "", "| file | live | killed | marked equivalent "
                  "| score |", "|---|---:|---:|---:|---:|"]
        for name, f in sorted(s.get("by_file", {}).items()):
            scored = f["live"] - f["equivalent"]
            score = f"{100.0 * f['killed'] / scored:.1f} %" if scored else "-"
            lines.append(f"| {name} | {f['live']} | {f['killed']} | {f['equivalent']} | {score} |")
        lines += ["", f"## {s['group']}: survivors", ""]
        lines += [f"- #{r['id']} `{r['where']}` ({r['op']}): `{r['mutant']}`"
                  for r in s["survivors"]] or ["none"]
        lines += ["", f"## {s['group']}: marked equivalent", ""]
        lines += [f"- #{r['id']} `{r['where']}` ({r['op']}): `{r['mutant']}` — {r['reason']}"
                  for r in s["equivalents"]] or ["none"]
        if s["stale_markers"]:
            lines += ["", "Markers with no surviving mutant on their line: "
                      + ", ".join(s["stale_markers"])]
    with open(os.path.join(out, "summary.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def print_summary(s):
    print("== " + figure_line(s))
    for r in s["survivors"]:
        print(f"   survived  #{r['id']} {r['where']}: {r['mutant']}")
    for r in s["equivalents"]:
        print(f"   equivalent #{r['id']} {r['where']}: {r['mutant']}  ({r['reason']})")
    for r in s["errors_list"]:
        print(f"   ERROR     #{r['id']} {r['where']}: {r['mutant']}")
    for m in s["stale_markers"]:
        print(f"   stale marker (nothing on its line survives): {m}")


# ---------------------------------------------------------------------------
# Self-test: the tool on ci/mutate_selftest/toy.c, no CMake
# ---------------------------------------------------------------------------
SELFTEST_DIR = os.path.join(ROOT, "ci", "mutate_selftest")


def self_test():
    """The listing of toy.c is exactly expected.txt, and running each mutant
    against toy_test.c gives the expected status (killed, timeout,
    survived, stillborn, marked equivalent)."""
    expected_path = os.path.join(SELFTEST_DIR, "expected.txt")
    mutants = file_mutants(SELFTEST_DIR, "toy.c")
    for n, mu in enumerate(mutants, 1):
        mu.id = n
    cc = os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")
    got = []
    with tempfile.TemporaryDirectory(prefix="mtasts-mutate-selftest-") as tmp:
        for name in ("toy_test.c", "toy.h"):
            shutil.copy(os.path.join(SELFTEST_DIR, name), tmp)
        with open(os.path.join(SELFTEST_DIR, "toy.c"), encoding="utf-8") as f:
            original = f.read()
        for mu in mutants:
            with open(os.path.join(tmp, "toy.c"), "w", encoding="utf-8") as f:
                f.write(original[:mu.start] + mu.replacement + original[mu.end:])
            status = toy_status(cc, tmp, mu)
            got.append(f"{mu.id} {mu.line} {mu.op} {status}: {mu.describe()}")
    with open(expected_path, encoding="utf-8") as f:
        expected = [ln.rstrip("\n") for ln in f if ln.strip() and not ln.startswith("#")]
    if got != expected:
        print("!! mutate self-test: the toy's mutants differ from expected.txt")
        sys.stdout.writelines(difflib.unified_diff([e + "\n" for e in expected],
                                                   [g + "\n" for g in got], "expected", "got"))
        return 1
    # The real groups still read: every file parses and yields mutants.
    counts = {g: len(group_mutants(ROOT, g)) for g in GROUPS}
    empty = [g for g, n in counts.items() if n == 0]
    if empty:
        print("!! mutate self-test: no mutant in group(s) " + ", ".join(empty))
        return 1
    print(f"mutate self-test: {len(got)} toy mutants as expected; "
          + ", ".join(f"{g} {n}" for g, n in counts.items()) + " mutants listed")
    return 0


def toy_status(cc, tmp, mu):
    exe = os.path.join(tmp, "toy_test")
    r = run([cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", exe, "toy.c", "toy_test.c"],
            cwd=tmp)
    if r.returncode != 0:
        return "stillborn"
    try:
        # Only the dropped i++ hangs; the toy otherwise ends in microseconds, so 5 s
        # cannot be reached by a loaded machine, only by the hang.
        r = run([exe], cwd=tmp, timeout=5)
    except subprocess.TimeoutExpired:
        return "timeout"
    if r.returncode != 0:
        return "killed"
    return "equivalent" if mu.equivalent is not None else "survived"


# ---------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--group", action="append", choices=sorted(GROUPS), default=[])
    ap.add_argument("--list", action="store_true", help="print the numbered mutants and stop")
    ap.add_argument("--only", help="run only these mutant numbers (e.g. 17,40-45)")
    ap.add_argument("--diff", type=int, metavar="N", help="print mutant N as a diff and stop")
    ap.add_argument("--survivors-of", metavar="DIR",
                    help="run only the mutants that survived in DIR/<group>.jsonl (an earlier --out)")
    ap.add_argument("--resume", action="store_true",
                    help="keep the results recorded in OUT (errors are run again)")
    ap.add_argument("--retry-survivors", action="store_true",
                    help="with --resume, run the recorded survivors again too (after adding tests)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--build-jobs", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=10,
                    help="least per-stage ctest timeout in seconds (also 10x the slowest baseline test)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build-mutate"))
    ap.add_argument("--rev", help="mutate this commit (git archive) instead of the working tree")
    ap.add_argument("--keep", action="store_true", help="keep the private copies")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    if args.self_test:
        return self_test()
    if not args.group:
        ap.error("give at least one --group (or --self-test)")
    if args.jobs < 1 or args.build_jobs < 1:
        ap.error("--jobs and --build-jobs are at least 1")

    files = tree_files(ROOT, args.rev)
    args.tree_for_rev = None
    tmp_rev = None
    if args.rev is not None:
        tmp_rev = tempfile.mkdtemp(prefix="mtasts-mutate-rev-")
        copy_tree(ROOT, os.path.join(tmp_rev, "t"), args.rev, None)
        args.tree_for_rev = os.path.join(tmp_rev, "t")
    try:
        if args.list or args.diff is not None:
            root = args.tree_for_rev or ROOT
            for group in args.group:
                for mu in group_mutants(root, group):
                    if args.list:
                        eq = f"  [equivalent: {mu.equivalent}]" if mu.equivalent is not None else ""
                        print(f"{group} #{mu.id} {mu.path}:{mu.line} {mu.op}: {mu.describe()}{eq}")
                    elif mu.id == args.diff:
                        with open(os.path.join(root, mu.path), encoding="utf-8") as f:
                            a = f.read()
                        sys.stdout.writelines(difflib.unified_diff(
                            a.splitlines(True), mutated_text(root, mu).splitlines(True),
                            "a/" + mu.path, "b/" + mu.path))
            return 0
        os.makedirs(args.out, exist_ok=True)
        summaries = []
        for group in args.group:
            mutants, results = run_group(group, args, files)
            s = summarise(group, mutants, results)
            print_summary(s)
            if not (args.only or args.survivors_of):
                summaries.append(s)
        if summaries:
            write_reports(args.out, summaries)
            print(f"== reports: {args.out}/summary.md and <group>.json")
        return 0
    finally:
        if tmp_rev is not None:
            shutil.rmtree(tmp_rev, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
