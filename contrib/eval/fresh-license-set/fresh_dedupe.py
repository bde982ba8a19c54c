"""Keep one file per distinct license header: the license-bearing lines of the first
60 lines, digits and whitespace folded, so 36 identical ASF headers count once."""
import json,re,sys
KEEP=re.compile(r"licen|permission|redistribut|warrant|spdx|copyright|public domain|distribut",re.I)
def key(path):
    t=open(path,"rb").read(20000).decode("utf-8","replace").splitlines()[:150]
    ls=[re.sub(r"[\d\s]+"," ",re.sub(r"copyright.*","copyright",l,flags=re.I)).strip(" #/*-;") for l in t if KEEP.search(l)]
    return "\n".join(ls)
def distinct(man,dirname):
    seen=set(); out=[]
    for m in man:
        k=key(dirname+"/"+m["file"]) or m["file"]
        if k in seen: continue
        seen.add(k); out.append(m["file"])
    return out
if __name__=="__main__":
    man=json.load(open(sys.argv[1])); print(json.dumps(distinct(man,sys.argv[2])))
