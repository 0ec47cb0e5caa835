#!/usr/bin/python3
"""The referee: every lab's numbers against its exported PyTorch (and NumPy) script.

For each link (the lab's presets plus seeded generated states, see generators/), one
`nnplay eval-batch` process gives the lab's JSON and one `nnplay export-batch` process per
language gives the scripts; this one Python process runs every script in its own
namespace (stdout captured) and compares each entry of the script's `results` dict with
the JSON at that path. README.md has the contract.

Run with Debian's interpreter, which sees python3-torch:
  /usr/bin/python3 tests/referee/referee.py --nnplay build/native/tools/nnplay --lab mlp
  ... --links FILE    (or '-' for stdin) check exactly these links instead
  ... --self-test     check the comparison itself on hand-made cases
Exit status: 0 all equal, 1 a mismatch or a script that failed, 2 bad usage.
"""

import argparse
import contextlib
import importlib.util
import io
import json
import math
import os
import random
import re
import subprocess
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
RTOL = 1e-5  # relative to the largest magnitude in the tensor (float32 lab vs float64 script)
# Differences below float32's smallest normal number do not count (below it float32 holds
# only denormals, and the lab's float32 may underflow to 0 where float64 does not).
TINY = 1.17549435e-38
FLT_MAX = 3.4028234663852886e38
MAX_REPORTED = 25  # failures printed in full; the rest are counted

# ---- values ------------------------------------------------------------------------------


def to_plain(value):
    """A script's value as plain Python: nested lists of float/None, numbers, str, bool,
    dicts. Accepts torch tensors, NumPy arrays and scalars, lists and tuples."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return value
    if hasattr(value, "detach"):  # torch.Tensor
        value = value.detach().cpu()
        if value.dtype.is_floating_point or value.dtype.is_complex:
            value = value.double()
        return value.tolist()
    if hasattr(value, "tolist"):  # numpy array or scalar
        return value.tolist()
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    raise TypeError("cannot compare a %s" % type(value).__name__)


def is_number(v):
    return v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))


def flatten(value):
    """(shape, flat list of numbers/None) of a nested list, or None if not rectangular
    numbers."""
    if is_number(value):
        return [], [value]
    if isinstance(value, bool):
        return [], [float(value)]
    if not isinstance(value, list):
        return None
    if not value:
        return [0], []
    parts = [flatten(v) for v in value]
    if any(p is None for p in parts) or any(p[0] != parts[0][0] for p in parts):
        return None
    return [len(value)] + parts[0][0], [x for p in parts for x in p[1]]


def is_tensor(j):
    return isinstance(j, dict) and set(j) == {"shape", "values"}


def finite(v):
    return v is not None and not (isinstance(v, float) and (math.isnan(v) or math.isinf(v)))


def squeeze(shape):
    return [s for s in shape if s != 1]


# ---- comparison --------------------------------------------------------------------------


class Mismatch:
    def __init__(self, path, index, want, got, why=""):
        self.path, self.index, self.want, self.got, self.why = path, index, want, got, why

    def __str__(self):
        where = self.path + ("" if self.index is None else "[%s]" % self.index)
        text = "%s: lab %s, script %s" % (where, fmt(self.want), fmt(self.got))
        return text + (" (%s)" % self.why if self.why else "")


def fmt(v):
    if isinstance(v, float):
        return repr(v)
    text = json.dumps(v) if not isinstance(v, str) else repr(v)
    return text if len(text) < 200 else text[:200] + "..."


def compare_numbers(path, want_shape, want, got_value, worst, floor=0.0):
    """Compares a JSON tensor (shape, flat values with None for non-finite) with a script
    value. `floor`: the magnitude of the terms the tensor is computed from (the lab module's
    scales(), see README), when larger than the tensor itself. Keeps in worst[0] the largest
    relative difference; returns a Mismatch or None."""
    flat = flatten(got_value)
    if flat is None:
        return Mismatch(path, None, "numbers", got_value, "the script's value is not numbers")
    got_shape, got = flat
    if len(got) != len(want) or (want_shape is not None and squeeze(got_shape) != squeeze(want_shape)):
        return Mismatch(path, None, "shape %s" % want_shape, "shape %s" % got_shape,
                        "shapes differ")
    scale = max(TINY, floor)
    for v in want + got:
        if finite(v):
            scale = max(scale, abs(float(v)))
    for i, (w, g) in enumerate(zip(want, got)):
        if not finite(w) or not finite(g):
            # JSON writes NaN and infinities as null: the script must be non-finite there too,
            # or beyond float32's range (where the lab's float is infinite).
            if w is None and finite(g) and abs(float(g)) > FLT_MAX:
                continue
            if finite(w) != finite(g):
                return Mismatch(path, index_text(i, want_shape), w, g,
                                "one is undefined (null/nan/inf), the other is not")
            continue
        diff = abs(float(w) - float(g))
        if diff <= TINY:  # both below float32's normal range: the same to float32
            continue
        rel = diff / scale
        if rel > worst[0]:
            worst[0] = rel
        if rel > RTOL:
            return Mismatch(path, index_text(i, want_shape), w, g,
                            "relative difference %.3g > %g" % (rel, RTOL))
    return None


def index_text(i, shape):
    if not shape or len(shape) <= 1:
        return str(i)
    idx = []
    for s in reversed(shape):
        idx.append(i % s)
        i //= s
    return ",".join(str(x) for x in reversed(idx))


def compare(path, want, got, worst, scales=None):
    """Compares a JSON value (any kind) with a plain script value."""
    floor = (scales or {}).get(path, 0.0)
    if is_tensor(want):
        return compare_numbers(path, want["shape"], want["values"], got, worst, floor)
    if want is None or is_number(want):
        if isinstance(got, (list, tuple)) and len(got) == 1:
            got = got[0]
        return compare_numbers(path, None, [want], [got] if not isinstance(got, list) else got,
                               worst, floor)
    if isinstance(want, (bool, str)):
        return None if want == got else Mismatch(path, None, want, got, "not equal")
    if isinstance(want, list):
        if flatten(want) is not None:
            shape, values = flatten(want)
            return compare_numbers(path, shape, values, got, worst, floor)
        if not isinstance(got, list) or len(got) != len(want):
            return Mismatch(path, None, "a list of %d" % len(want), got, "lengths differ")
        for i, (w, g) in enumerate(zip(want, got)):
            m = compare("%s/%d" % (path, i), w, g, worst, scales)
            if m:
                return m
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return Mismatch(path, None, "an object", got, "the script's value is not a dict")
        for k, g in got.items():
            if k not in want:
                return Mismatch(path + "/" + k, None, "(absent)", g, "no such key in the JSON")
            m = compare(path + "/" + k, want[k], g, worst, scales)
            if m:
                return m
        return None
    return Mismatch(path, None, want, got, "cannot compare")


def lookup(doc, path):
    """The JSON value at a '/'-separated path from the root; a path whose first part is not
    a top-level key is read under "result" (so "layers/0/z" means "result/layers/0/z").
    Returns (found, value, full path)."""
    parts = [p for p in path.split("/") if p != ""]
    if not parts:
        return False, None, path
    if isinstance(doc, dict) and parts[0] not in doc and "result" in doc:
        parts = ["result"] + parts
    node = doc
    for p in parts:
        if isinstance(node, dict) and p in node:
            node = node[p]
        elif isinstance(node, list) and re.fullmatch(r"\d+", p) and int(p) < len(node):
            node = node[int(p)]
        else:
            return False, None, "/".join(parts)
    return True, node, "/".join(parts)


def tensor_paths(node, path=""):
    """Every tensor (and every number) the JSON holds under `node`, as full paths."""
    out = []
    if is_tensor(node) or is_number(node) and node is not None:
        return [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += tensor_paths(v, path + "/" + k if path else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += tensor_paths(v, "%s/%d" % (path, i))
    return out


def pattern(path):
    return re.sub(r"/\d+(?=/|$)", "/*", path)


def covered_by(path, checked):
    """True when a checked path is `path` or an ancestor of it (a dict compared whole)."""
    return any(path == c or path.startswith(c + "/") for c in checked)


# ---- running scripts ---------------------------------------------------------------------


def run_script(script, name):
    """Runs one script in a fresh namespace. Returns (results dict or None, stdout, error)."""
    namespace = {"__name__": "__main__", "__file__": name}
    out = io.StringIO()
    try:
        code = compile(script, name, "exec")
        with contextlib.redirect_stdout(out):
            exec(code, namespace)
    except BaseException:  # a script that raises (or calls exit) fails, the referee goes on
        return None, out.getvalue(), traceback.format_exc(limit=-3)
    results = namespace.get("results")
    if not isinstance(results, dict):
        return None, out.getvalue(), "the script leaves no dict named `results`"
    return results, out.getvalue(), None


def batch(nnplay, args, links):
    proc = subprocess.run([nnplay] + args, input="\n".join(links) + "\n", capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        sys.exit("referee: nnplay %s failed (%d): %s" % (" ".join(args), proc.returncode,
                                                         proc.stderr.strip()))
    lines = proc.stdout.split("\n")[:len(links)]
    if len(lines) != len(links):
        sys.exit("referee: nnplay %s answered %d of %d links" % (" ".join(args), len(lines),
                                                                 len(links)))
    return [json.loads(line) for line in lines]


# ---- links -------------------------------------------------------------------------------


def preset_links(nnplay, lab):
    proc = subprocess.run([nnplay, "presets"], capture_output=True, text=True, check=True)
    links = []
    for line in proc.stdout.splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and fields[0] == lab:
            links.append(fields[2].lstrip("#"))
    return links


_modules = {}


def load_generator(lab):
    if lab in _modules:
        return _modules[lab]
    path = os.path.join(HERE, "generators", lab + ".py")
    if not re.fullmatch(r"[a-z0-9_]+", lab) or not os.path.exists(path):
        _modules[lab] = None
        return None
    sys.path.insert(0, os.path.join(HERE, "generators"))
    spec = importlib.util.spec_from_file_location("referee_gen_" + lab, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    _modules[lab] = module
    return module


def generated_links(lab, count, seed):
    module = load_generator(lab)
    if module is None:
        return []
    return list(module.generate(random.Random("%s:%d" % (lab, seed)), count))


# ---- the run -----------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.failures = []
        self.states = {}  # lab -> states compared
        self.runs = {}  # lab -> scripts run
        self.entries = {}  # lab -> entries compared
        self.worst = {}  # lab -> (relative difference, link, path)
        self.coverage = {}  # lab -> {pattern: [covered, seen]}

    def fail(self, link, language, text):
        self.failures.append("%s [%s]\n    %s" % (link, language, text))


def lab_scales(doc):
    """The lab module's scales(doc) (generators/<lab>.py), or {}: for each JSON path, the
    magnitude of the terms that value is computed from (README: Tolerance)."""
    module = load_generator(doc.get("lab", ""))
    if module is None or not hasattr(module, "scales"):
        return {}
    return module.scales(doc)


def check_links(nnplay, links, languages, report, show_output=False):
    evals = batch(nnplay, ["eval-batch"], links)
    scripts = {lang: batch(nnplay, ["export-batch", "--" + lang], links) for lang in languages}
    for i, link in enumerate(links):
        doc = evals[i]
        if "error" in doc:
            report.fail(link, "eval", "nnplay eval: " + doc["error"])
            continue
        lab = doc.get("lab", "?")
        wanted = [p for p in tensor_paths(doc.get("result", {}), "result")]
        scales = lab_scales(doc)
        for lang in languages:
            answer = scripts[lang][i]
            if "error" in answer:
                report.fail(link, lang, "nnplay export: " + answer["error"])
                continue
            results, stdout, error = run_script(answer["script"], "<%s %s #%d>" % (lab, lang, i))
            if show_output:
                print("---- %s [%s]\n%s" % (link, lang, stdout))
            if error:
                report.fail(link, lang, "the script failed:\n    " +
                            error.strip().replace("\n", "\n    "))
                continue
            if not results:
                report.fail(link, lang, "the script's `results` is empty")
                continue
            checked = []
            worst = [0.0]
            for key, value in results.items():
                found, want, full = lookup(doc, str(key))
                if not found:
                    report.fail(link, lang, "results[%r]: no such path in the JSON" % key)
                    continue
                try:
                    got = to_plain(value)
                except TypeError as e:
                    report.fail(link, lang, "results[%r]: %s" % (key, e))
                    continue
                before = worst[0]
                mismatch = compare(full, want, got, worst, scales)
                if mismatch:
                    report.fail(link, lang, str(mismatch))
                checked.append(full)
                report.entries[lab] = report.entries.get(lab, 0) + 1
                if worst[0] > before and worst[0] > report.worst.get(lab, (-1,))[0]:
                    report.worst[lab] = (worst[0], link, full)
            report.runs[lab] = report.runs.get(lab, 0) + 1
            if lang == languages[0]:
                report.states[lab] = report.states.get(lab, 0) + 1
                cov = report.coverage.setdefault(lab, {})
                for p in wanted:
                    entry = cov.setdefault(pattern(p), [0, 0])
                    entry[1] += 1
                    if covered_by(p, checked):
                        entry[0] += 1


def print_report(report, languages, elapsed, show_coverage):
    for f in report.failures[:MAX_REPORTED]:
        print("MISMATCH " + f)
    if len(report.failures) > MAX_REPORTED:
        print("... and %d more mismatches" % (len(report.failures) - MAX_REPORTED))
    for lab in sorted(report.states):
        worst = report.worst.get(lab, (0.0, "", ""))
        print("referee %s: %d states, %d scripts run (%s), %d entries compared, largest "
              "relative difference %.3g%s" % (lab, report.states[lab], report.runs[lab],
                                     "+".join(languages),
                                     report.entries.get(lab, 0), worst[0],
                                     " at %s in %s" % (worst[2], worst[1]) if worst[1] else ""))
        cov = report.coverage.get(lab, {})
        missing = sorted(p for p, (c, n) in cov.items() if c == 0)
        partial = sorted("%s (%d of %d)" % (p, c, n) for p, (c, n) in cov.items() if 0 < c < n)
        if show_coverage or missing or partial:
            print("  coverage: %d of %d JSON tensors/numbers checked" %
                  (sum(1 for c, n in cov.values() if c == n), len(cov)))
            for p in missing:
                print("  not checked: " + p)
            for p in partial:
                print("  checked in some states only: " + p)
    print("referee: %d failure(s), %.1f s" % (len(report.failures), elapsed))


# ---- self-test of the comparison ---------------------------------------------------------


def self_test():
    """The comparison must catch what it is for; hand-made cases, no nnplay needed."""
    doc = {"lab": "t", "result": {"y": {"shape": [2, 2], "values": [1, -2, 0, 4]}, "loss": 0.5,
                                  "u": {"shape": [2], "values": [1, None]}, "n": 3,
                                  "layers": [{"z": {"shape": [1], "values": [1e-8]}}]}}
    cases = [  # (path, value, should pass)
        ("y", [[1, -2], [0, 4]], True),
        ("result/y", [[1, -2], [0, 4 + 3e-5]], True),  # 3e-5/4 < 1e-5
        ("y", [[1, -2], [0, 4 + 5e-5]], False),
        ("y", [[1, -2], [1e-4, 4]], False),  # index 1,0 off by 1e-4 of 4
        ("y", [1, -2, 0, 4, 5], False),  # count
        ("y", [[1, 0], [-2, 4]], False),  # transposed
        ("loss", 0.5 + 4e-6, True),
        ("loss", 0.5 + 6e-6, False),
        ("u", [1.0, float("inf")], True),  # null in JSON = non-finite in the script
        ("u", [1.0, 7.0], False),
        ("u", [float("nan"), float("nan")], False),
        ("n", 3, True),
        ("layers/0/z", [1.000001e-8], True),
        ("layers/0/z", [1.1e-8], False),  # relative, not absolute: a tiny tensor counts too
        ("nothing", 1, False),
        ("layers/0/z", [1e-8 + 1e-39], True),
    ]
    bad = 0
    for path, value, ok in cases:
        found, want, full = lookup(doc, path)
        m = compare(full, want, to_plain(value), [0.0]) if found else "not found"
        if (m is None) != ok:
            print("self-test: %s = %r: expected %s, got %s" % (path, value,
                                                               "pass" if ok else "a mismatch", m))
            bad += 1
    floor = {"result/layers/0/z": 1.0}  # a value out of cancellation: terms of magnitude 1
    if compare("result/layers/0/z", doc["result"]["layers"][0]["z"], [0.0], [0.0], floor) or \
            not compare("result/layers/0/z", doc["result"]["layers"][0]["z"], [2e-5], [0.0], floor):
        print("self-test: a scale from the lab module not applied")
        bad += 1
    m = compare("result/y", doc["result"]["y"], [[1, -2], [0, 5]], [0.0])
    if not m or m.index != "1,1" or m.want != 4 or m.got != 5:
        print("self-test: a mismatch must name the index and both values, got %s" % m)
        bad += 1
    results, _, error = run_script("import sys\nprint('hi')\nresults = {'y': 1}\n", "t")
    if results != {"y": 1} or error:
        print("self-test: a script's results not read back")
        bad += 1
    _, _, error = run_script("raise ValueError('boom')\n", "t")
    if not error or "boom" not in error:
        print("self-test: a failing script not reported")
        bad += 1
    print("referee self-test: %d of %d cases wrong" % (bad, len(cases) + 4))
    return 1 if bad else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nnplay", help="the native nnplay CLI")
    parser.add_argument("--lab", action="append", default=[], help="a lab (repeatable)")
    parser.add_argument("--count", type=int, default=200, help="generated states per lab")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--languages", default="torch,numpy")
    parser.add_argument("--links", help="a file of links, one a line ('-': stdin)")
    parser.add_argument("--coverage", action="store_true", help="list every JSON tensor")
    parser.add_argument("--show", action="store_true", help="print what each script prints")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    if not args.nnplay or not (args.lab or args.links):
        parser.print_usage()
        return 2
    languages = [x for x in args.languages.split(",") if x]
    start = time.time()
    report = Report()
    if args.links:
        stream = sys.stdin if args.links == "-" else open(args.links)
        links = [l.strip() for l in stream if l.strip()]
        check_links(args.nnplay, links, languages, report, args.show)
    for lab in args.lab:
        links = preset_links(args.nnplay, lab) + generated_links(lab, args.count, args.seed)
        if not links:
            print("referee %s: no presets and no generator" % lab)
            return 1
        check_links(args.nnplay, links, languages, report, args.show)
    print_report(report, languages, time.time() - start, args.coverage)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
