"""Fresh set 2: code headers from npm packages installed for this purpose into /tmp/npm2
(never read by the project before 2026-12-05 03:45 UTC). Up to 3 files per package whose
first 40 lines carry a comment mentioning a license; label starting point package.json."""
import os,re,json,random,glob,shutil
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
    got=0
    for p in files:
        try: head=b"".join(open(p,"rb").readlines()[:40])
        except OSError: continue
        if COMMENT.search(head):
            cands.append((j["name"],{"expr":j.get("license") if isinstance(j.get("license"),str) else None},p)); got+=1
            if got>=3: break
os.makedirs("/tmp/fresh/npm2",exist_ok=True)
man=[]
for i,(pkg,dec,p) in enumerate(cands):
    name=f"{i:03d}_{os.path.basename(p)}"
    shutil.copy(p,"/tmp/fresh/npm2/"+name); man.append({"file":name,"pkg":pkg,"declared":dec,"src":p})
json.dump(man,open("/tmp/fresh/npm2_manifest.json","w"),indent=1)
print(len(man),len({m['pkg'] for m in man}))
