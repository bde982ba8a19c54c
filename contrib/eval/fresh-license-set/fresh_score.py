"""Score a provaudit ledger against the hand labels (fresh_labels.json): primary id =
the label is among the detected SPDX ids. Header sets count one file per distinct
license header; license files one per distinct text (copyright lines and digits folded).
Usage: fresh_score.py SET LEDGER [DIR]  (SET: headers | crate_headers | license_files)"""
import json,os,sys,re
sys.path.insert(0,os.path.dirname(os.path.abspath(__file__)))
from fresh_review import detected
A=json.load(open(os.environ.get('FRESH_LABELS','fresh_labels.json')))
S=sys.argv[1]; L=A[S]; det=detected(sys.argv[2])
if S in A["distinct"]: keep=set(A["distinct"][S])
else:
    seen=set(); keep=set()
    for f in sorted(L):
        t=open(sys.argv[3]+"/"+f,"rb").read().decode("utf-8","replace")
        k=re.sub(r"[\d\s]+"," ","\n".join(l for l in t.splitlines() if not re.search(r"copyright|\(c\)",l,re.I)))
        if k not in seen: seen.add(k); keep.add(f)
n=hit=nothing=prop=0; miss=[]
for f,lab in sorted(L.items()):
    if lab=="X" or f not in keep: continue
    ids,cat=det[f]; n+=1
    if lab in ids: hit+=1
    else:
        miss.append(f)
        if not ids or ids<={"LicenseRef-See-License-File"}: nothing+=1
    if cat=="proprietary": prop+=1
print(f"{S}: {hit}/{n} = {100*hit/n:.1f}% primary id; found nothing (or only a file reference) {nothing}; labelled-license files categorised proprietary {prop}")
if len(sys.argv)>4: print(" misses:",miss)
