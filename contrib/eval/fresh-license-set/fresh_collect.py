"""Collect a fresh license set: source files with a license header from installed
Python distributions and npm's bundled modules, labelled by the package's declared
license. Files nobody on the project wrote or tuned on."""
import os, re, json, random, email, sys, glob, shutil
random.seed(20261205)
SP = "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages"
EXT = (".py", ".pyx", ".pyi", ".c", ".h", ".cc", ".cpp", ".js", ".mjs", ".cjs", ".ts")
HEAD = re.compile(rb"licen[cs]", re.I)
def header(path):
    try:
        with open(path, "rb") as f:
            b = f.read(4096)
    except OSError:
        return None
    return b if HEAD.search(b) else None

cands = []  # (pkg, declared, path)
# Python: map top-level dirs to dist-info via RECORD
for di in glob.glob(SP + "/*.dist-info"):
    try:
        meta = email.message_from_binary_file(open(di + "/METADATA", "rb"))
    except OSError:
        continue
    expr = meta.get("License-Expression")
    cls = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    lic = meta.get("License")
    declared = {"expr": expr, "classifiers": cls, "license": (lic or "")[:200]}
    try:
        rec = open(di + "/RECORD").read().splitlines()
    except OSError:
        continue
    files = [l.split(",")[0] for l in rec]
    files = [f for f in files if f.endswith(EXT) and ".dist-info" not in f and not f.startswith("..")]
    random.shuffle(files)
    got = 0
    for f in files:
        p = os.path.join(SP, f)
        if header(p):
            cands.append((os.path.basename(di), declared, p))
            got += 1
            if got >= 3:
                break
# npm bundled modules
for pj in glob.glob("/usr/lib/node_modules/npm/node_modules/**/package.json", recursive=True):
    d = os.path.dirname(pj)
    if os.path.basename(os.path.dirname(d)) not in ("node_modules",) and "@" not in d:
        pass
    try:
        j = json.load(open(pj))
    except Exception:
        continue
    if "name" not in j or "license" not in j:
        continue
    files = [os.path.join(r, f) for r, _, fs in os.walk(d) if "node_modules" not in os.path.relpath(r, d) for f in fs if f.endswith(EXT)]
    random.shuffle(files)
    got = 0
    for p in files:
        if header(p):
            cands.append((j["name"], {"expr": j.get("license")}, p))
            got += 1
            if got >= 3:
                break
print(len(cands), file=sys.stderr)
json.dump(cands, open("/tmp/fresh/cands.json", "w"), indent=0)
