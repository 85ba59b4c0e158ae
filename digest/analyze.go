package digest

import "time"

// doc is an article as the engine keeps it: normalized, analyzed, and
// linked to its development.
type doc struct {
	seq      int
	art      Article  // with a canonical URL and the detected language
	outlet   string   // outlet(art.Source), worked out once
	keys     []string // seenKeys(art), worked out once
	title    string   // cleaned
	titleKey string   // its identity for duplicate detection (see titleKey)
	teaser   string   // plain text
	paras    []string
	feat     features
	index    []uint64 // terms it is indexed under (see Engine.indexTerms)
	sum      *docText // what summaries need of it, once computed
	print    fingerprint
	cluster  *cluster
	dupOf    *doc // the article this one copies, if any
	shared   int  // scratch count for dupIndex.contains
}

func (d *doc) time() time.Time { return d.art.Published }

// outlet is the key under which a source counts once: its name without
// case, spaces or punctuation ("Kyiv Ledger", "KYIV LEDGER" and "kyiv-ledger"
// are one masthead).
func outlet(source string) string {
	if k := squash(source); k != "" {
		return k
	}
	return source
}

// prepare normalizes an article: plain text, a clean title, a canonical URL,
// its language, and the paragraphs of its text without bylines or dateline.
func prepare(a Article) *doc {
	d := &doc{
		title:  cleanTitle(a.Title, a.Source, a.URL),
		teaser: Text(a.Summary),
	}
	for _, p := range paragraphs(a.Content) {
		if isByline(p) {
			continue
		}
		if len(d.paras) == 0 {
			if p = stripDateline(p); p == "" {
				continue
			}
		}
		d.paras = append(d.paras, p)
	}
	a.URL = CanonicalURL(a.URL)
	sample := d.title + ". " + d.teaser
	if len(d.paras) > 0 {
		sample += " " + d.paras[0]
	}
	a.Lang = articleLang(sample, a.Lang)
	d.art = a
	d.outlet = outlet(a.Source)
	return d
}

func (d *doc) empty() bool { return d.title == "" && d.teaser == "" && len(d.paras) == 0 }

// analyze tokenizes the article, decides whether it is relevant to one of
// the topics, and computes its features and fingerprint. If summaryChars
// is above 0 and the article is relevant, it also works out the article's
// summary material for summaries of up to that many characters (see
// textAhead), which is cheaper from the tokens at hand.
func (d *doc) analyze(topics []topicMatcher, cache *wordCache, summaryChars int) (relevant bool) {
	buf := tokenBuffers.Get().(*[]token)
	defer func() {
		clear(*buf)
		tokenBuffers.Put(buf)
	}()
	toks := (*buf)[:0]
	// All texts' tokens go into one buffer; lists are cut from it once it
	// stops growing.
	bounds := make([]int, 1, len(d.paras)+3)
	for _, text := range append([]string{d.title, d.teaser}, d.paras...) {
		toks = tokenizeAppend(toks, text, cache)
		bounds = append(bounds, len(toks))
	}
	*buf = toks
	lists := make([][]token, len(bounds)-1)
	for i := range lists {
		lists[i] = toks[bounds[i]:bounds[i+1]:bounds[i+1]]
	}
	title, teaser, paras := lists[0], lists[1], lists[2:]

	head := [][]token{title, teaser}
	for _, t := range topics {
		if t.relevant(head, paras, cache) {
			relevant = true
			break
		}
	}
	if relevant && summaryChars > 0 {
		d.sum = d.textAhead(title, teaser, paras, summaryChars, cache)
	}
	body := paras // for the features, the teaser is read with the lead
	switch {
	case len(paras) == 0:
		body = [][]token{teaser}
	case len(teaser) > 0:
		lead := tokenBuffers.Get().(*[]token)
		defer func() {
			clear(*lead)
			tokenBuffers.Put(lead)
		}()
		*lead = append(append((*lead)[:0], teaser...), paras[0]...)
		body = append([][]token{*lead}, paras[1:]...)
	}
	d.titleKey = titleKey(d.title)
	d.feat = extract(title, body, cache)
	d.print = fingerprintOf(paras)
	return relevant
}
