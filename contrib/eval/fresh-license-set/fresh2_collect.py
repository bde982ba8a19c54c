"""Fresh set 2: code headers from npm packages installed for this purpose into /tmp/npm2
(never read by the project before 2026-12-05 03:45 UTC). Up to 3 files per package whose
first 40 lines carry a comment mentioning a license; label starting point package.json."""
import sys,os,re,json,random,glob,shutil
sys.path.insert(0,os.path.dirname(os.path.abspath(__file__)))
from fresh_review import first_with_header, write_set
random.seed(202612052)
EXT=(".js",".mjs",".cjs",".ts",".css",".d.ts")
COMMENT=re.compile(rb"^\s*(//|/\*|\*|#).*licen[cs]",re.I|re.M)
cands=[]
for pj in sorted(glob.glob("/tmp/npm2/node_modules/**/package.json",recursive=True)):
    d=os.path.dirname(pj)
    if "/node_modules/" in os.path.relpath(d,"/tmp/npm2/node_modules"): continue
    try: j=json.load(open(pj))
    except Exception: continue
    if "name" not in j or j.get("name") in {c[0] for c in cands}: continue
    files=[os.path.join(r,f) for r,_,fs in os.walk(d) if "node_modules" not in os.path.relpath(r,d) for f in fs if f.endswith(EXT) and ".min." not in f]
    files.sort(); random.shuffle(files)
    for p in first_with_header(files,COMMENT):
        cands.append((j["name"],{"expr":j.get("license") if isinstance(j.get("license"),str) else None},p))
write_set(cands,"npm2")
