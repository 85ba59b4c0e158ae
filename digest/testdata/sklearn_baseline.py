#!/usr/bin/env python3
"""Baseline for comparison with `sitrep eval` (measurement only, not used by sitrep).

scikit-learn TF-IDF over title, teaser and text, then agglomerative clustering
(cosine distance, average linkage, batch: it sees every article at once),
each language apart; no relevance filter. Prints B-cubed P/R/F1 computed the
way digest/evaluate does (per language, gold-relevant articles only).

  sklearn_baseline.py ARTICLES.jsonl [--threshold 0.8]
  sklearn_baseline.py ARTICLES.jsonl --scale 2000 > scaled.jsonl   # copies a week apart

Needs python3-sklearn (Debian: apt-get install python3-sklearn).
"""
import json, sys, time, argparse, datetime, re
from collections import Counter, defaultdict

def load(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]

def scale(arts, n):
    out, k = [], 0
    while len(out) < n:
        for a in arts:
            if len(out) == n:
                break
            c = dict(a)
            c["id"] = "%s-w%d" % (a["id"], k)
            c["url"] = a["url"] + "-w%d" % k
            t = datetime.datetime.fromisoformat(a["published"].replace("Z", "+00:00")) + datetime.timedelta(weeks=k)
            c["published"] = t.strftime("%Y-%m-%dT%H:%M:%SZ")
            if c.get("story"):
                c["story"] = "%s#%d" % (c["story"], k)
            out.append(c)
        k += 1
    return out

def bcubed(arts, pred):
    gold_size, pred_size, both, items = Counter(), Counter(), Counter(), []
    for a in arts:
        if not a.get("story"):
            continue
        g, p = (a["lang"], a["story"]), (a["lang"], pred[a["id"]])
        gold_size[g] += 1; pred_size[p] += 1; both[(g, p)] += 1; items.append((g, p))
    P = sum(both[i] / pred_size[i[1]] for i in items) / len(items)
    R = sum(both[i] / gold_size[i[0]] for i in items) / len(items)
    return P, R, 2 * P * R / (P + R)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--threshold", type=float, default=0.8, help="cosine distance at which clusters stop merging")
    ap.add_argument("--scale", type=int, default=0)
    args = ap.parse_args()
    arts = load(args.corpus)
    if args.scale:
        for a in scale(arts, args.scale):
            print(json.dumps(a, ensure_ascii=False))
        return
    start = time.time()
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.cluster import AgglomerativeClustering
    by_lang = defaultdict(list)
    for a in arts:
        by_lang[a["lang"]].append(a)
    pred = {}
    for lang, group in sorted(by_lang.items()):
        texts = [" ".join([a["title"], re.sub("<[^>]+>", " ", a.get("summary", "")), a.get("content", "")]) for a in group]
        if len(group) == 1:
            pred[group[0]["id"]] = lang + "0"
            continue
        X = TfidfVectorizer(sublinear_tf=True, stop_words="english" if lang == "en" else None).fit_transform(texts)
        labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=args.threshold).fit_predict(X.toarray())
        for a, l in zip(group, labels):
            pred[a["id"]] = "%s%d" % (lang, l)
    elapsed = time.time() - start
    P, R, F = bcubed(arts, pred)
    print(json.dumps({"articles": len(arts), "clusters": len(set(pred.values())), "bcubed_precision": P,
                      "bcubed_recall": R, "bcubed_f1": F, "seconds": elapsed}))

if __name__ == "__main__":
    main()
