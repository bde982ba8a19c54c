"""Code headers from the crates in this machine's cargo registry (sources, not the
LICENSE files license_eval reads): up to 3 files per crate whose first 40 lines carry a
comment mentioning a license. Label starting point: Cargo.toml `license =`."""
import os, re, json, random, glob, shutil, tomllib
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
    got=0
    for p in files:
        try: head=b"".join(open(p,"rb").readlines()[:40])
        except OSError: continue
        if COMMENT.search(head):
            cands.append((os.path.basename(d),{"expr":lic},p)); got+=1
            if got>=3: break
os.makedirs("/tmp/fresh/crates",exist_ok=True)
man=[]
for i,(pkg,dec,p) in enumerate(cands):
    name=f"{i:03d}_{os.path.basename(p)}"
    shutil.copy(p,"/tmp/fresh/crates/"+name); man.append({"file":name,"pkg":pkg,"declared":dec,"src":p})
json.dump(man,open("/tmp/fresh/crates_manifest.json","w"),indent=1)
print(len(man), len({m['pkg'] for m in man}))
