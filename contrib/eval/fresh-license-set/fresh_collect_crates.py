"""Code headers from the crates in this machine's cargo registry (sources, not the
LICENSE files license_eval reads): up to 3 files per crate whose first 40 lines carry a
comment mentioning a license. Label starting point: Cargo.toml `license =`."""
import sys,os, re, json, random, glob, shutil, tomllib
sys.path.insert(0,os.path.dirname(os.path.abspath(__file__)))
from fresh_review import first_with_header, write_set
random.seed(20261205)
EXT=(".rs",".c",".h",".cc",".cpp",".S",".py",".js",".pl")
COMMENT=re.compile(rb"^\s*(//|/\*|\*|#|;|--|<!--).*licen[cs]", re.I|re.M)
cands=[]
for ct in sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/*/Cargo.toml"))):
    d=os.path.dirname(ct)
    try: lic=tomllib.load(open(ct,"rb")).get("package",{}).get("license")
    except Exception: continue
    files=[os.path.join(r,f) for r,_,fs in os.walk(d) for f in fs if f.endswith(EXT)]
    files.sort(); random.shuffle(files)
    for p in first_with_header(files,COMMENT):
        cands.append((os.path.basename(d),{"expr":lic},p))
write_set(cands,"crates")
