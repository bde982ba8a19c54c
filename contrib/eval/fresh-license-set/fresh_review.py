import json,re,sys
CL={"Apache Software License":"Apache-2.0","MIT License":"MIT","ISC License (ISCL)":"ISC","MIT No Attribution License (MIT-0)":"MIT-0",
    "Mozilla Public License 2.0 (MPL 2.0)":"MPL-2.0","Python Software Foundation License":"PSF-2.0","BSD License":"BSD*"}
def declared_ids(d):
    e=d.get("expr")
    if isinstance(e,str) and e.strip():
        return set(w for w in re.split(r"[\s()]+",e) if w and w.upper() not in ("AND","OR","WITH"))
    out=set()
    for c in d.get("classifiers") or []:
        k=c.split(" :: ")[-1]
        out.add(CL.get(k,"?"+k))
    return out
def detected(ledger):
    res={}
    for line in open(ledger):
        r=json.loads(line)
        det=r.get("license",{}).get("detected") or {}
        ids=set()
        for k in det:
            ids|=set(w for w in re.split(r"[\s()]+",k) if w and w.upper() not in ("AND","OR","WITH"))
        res[r["path"]]=(ids,r["license"]["category"])
    return res

def first_with_header(files, comment, limit=3, lines=40):
    """Up to `limit` of `files` whose first `lines` lines match `comment`."""
    out = []
    for p in files:
        try:
            head = b"".join(open(p, "rb").readlines()[:lines])
        except OSError:
            continue
        if comment.search(head):
            out.append(p)
            if len(out) >= limit:
                break
    return out

def write_set(cands, name):
    """Copies (package, declared, path) candidates to /tmp/fresh/NAME/ as NNN_basename
    and writes /tmp/fresh/NAME_manifest.json."""
    import os, shutil
    os.makedirs(f"/tmp/fresh/{name}", exist_ok=True)
    man = []
    for i, (pkg, dec, p) in enumerate(cands):
        file = f"{i:03d}_{os.path.basename(p)}"
        shutil.copy(p, f"/tmp/fresh/{name}/{file}")
        man.append({"file": file, "pkg": pkg, "declared": dec, "src": p})
    json.dump(man, open(f"/tmp/fresh/{name}_manifest.json", "w"), indent=1)
    print(len(man), len({m["pkg"] for m in man}))

if __name__=="__main__":
    man=json.load(open(sys.argv[1])); det=detected(sys.argv[2]); show=len(sys.argv)>3
    for m in man:
        ids,cat=det.get(m["file"],(set(),"?"))
        dec=declared_ids(m["declared"])
        ok=bool(dec & ids)
        print(f"{m['file']:40s} {'HIT ' if ok else 'MISS'} declared={sorted(dec)} detected={sorted(ids)} cat={cat}")
        if show and not ok:
            t=open(sys.argv[4]+"/"+m["file"],"rb").read(3000).decode("utf-8","replace").splitlines()
            keep=[l for l in t[:60] if re.search(r"licen|copyright|permission|redistribut|warrant|spdx|public domain",l,re.I)]
            for l in keep[:12]: print("     |",l[:150])
