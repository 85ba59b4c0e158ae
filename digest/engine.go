package digest

import (
	"slices"
	"time"
)

// Engine groups a stream of articles into developments. Articles should be
// added roughly in publication order (the bot replays its stored window in
// that order after a restart); the engine's clock is the latest publication
// time it has seen, and it never reads the wall clock.
//
// Memory is bounded by the window: each Add forgets the articles and
// developments that fell out of it, and Expire does the same when no
// articles come. An Engine is not safe for concurrent use.
type Engine struct {
	opts       Options
	p          params
	topics     []topicMatcher
	importance *lexicon

	df       *docFreq
	window   []*doc              // articles in the IDF window, oldest first
	clusters []*cluster          // developments, oldest first
	byID     map[string]*cluster // developments by ID
	index    map[uint64]postings[*cluster]
	dups     *dupIndex
	seen     map[string]*doc // articles by source and ID, and by URL
	latest   time.Time
	seq      int
	stats    Stats
	words    wordCache
	idf      termIDF            // of the article being added
	q, qk    query              // its queries, for assign
	cands    []*cluster         // scratch list for candidates
	weights  map[uint64]float64 // scratch map for consensus
}

// NewEngine returns an empty engine; see Options for the defaults.
func NewEngine(opts Options) *Engine {
	opts = opts.withDefaults()
	e := &Engine{
		opts:       opts,
		p:          defaultParams,
		importance: newLexicon(opts.ImportanceTerms),
		df:         newDocFreq(),
		byID:       map[string]*cluster{},
		index:      map[uint64]postings[*cluster]{},
		dups:       newDupIndex(),
		seen:       map[string]*doc{},
		stats:      Stats{Dropped: map[string]int{}},
	}
	for _, t := range opts.Topics {
		e.topics = append(e.topics, newTopicMatcher(t))
	}
	e.registerLexicons(&e.words)
	return e
}

// registerLexicons has c keep what the engine's lexicons match of each
// word (see wordCache.register).
func (e *Engine) registerLexicons(c *wordCache) {
	c.register(conceptLexicon)
	for _, m := range e.topics {
		c.register(m.terms)
		c.register(m.context)
	}
}

// Stats returns counts of what the engine has done.
func (e *Engine) Stats() Stats {
	s := e.stats
	s.Dropped = make(map[string]int, len(e.stats.Dropped))
	for k, v := range e.stats.Dropped {
		s.Dropped[k] = v
	}
	s.Developments = len(e.clusters)
	return s
}

// Add normalizes one article and assigns it to a development, or drops it
// (see the Drop* reasons). An article that copies one already kept (wire
// copy) joins that article's development and adds its outlet. Add first
// forgets what fell out of the window before the article's publication time.
func (e *Engine) Add(a Article) Outcome {
	return e.add(a, nil)
}

// add is Add; pre, if not nil, is a prepared and analyzed ahead.
func (e *Engine) add(a Article, pre *analyzed) Outcome {
	e.stats.Added++
	if a.Published.After(e.latest) {
		e.expire(a.Published)
	}
	var d *doc
	if pre != nil {
		d = pre.doc
	} else {
		d = prepare(a)
	}
	if d.empty() {
		return e.drop(DropEmpty)
	}
	if e.latest.Sub(d.time()) >= e.opts.Window {
		return e.drop(DropStale)
	}
	if prev := e.repeat(d); prev != nil {
		e.stats.Dropped[DropDuplicate]++
		return Outcome{DevelopmentID: prev.cluster.id, Dropped: DropDuplicate}
	}
	var relevant bool
	if pre != nil {
		relevant = pre.relevant
	} else {
		relevant = d.analyze(e.topics, &e.words, 0)
	}
	if orig := e.dups.find(d); orig != nil {
		d.dupOf = orig
		if d.sum != nil { // worked out ahead: a copy's sentences are its original's
			d.sum.sentences = nil
		}
		e.df.weigh(&d.feat, &e.idf)
		e.keep(d, orig.cluster, &e.idf)
		e.stats.Duplicates++
		return Outcome{DevelopmentID: orig.cluster.id, DuplicateOf: orig.art.ID}
	}
	e.df.add(d.feat.all)
	e.df.weigh(&d.feat, &e.idf)
	c, sim := e.assign(d, &e.idf)
	if !relevant && (c == nil || sim < e.p.threshold(e.opts.Threshold, d)*e.p.vouch) {
		e.df.remove(d.feat.all)
		return e.drop(DropIrrelevant)
	}
	if c == nil {
		e.seq++
		c = newCluster(developmentID(d.art, e.taken), e.seq, d)
		e.clusters = append(e.clusters, c)
		e.byID[c.id] = c
	}
	e.keep(d, c, &e.idf)
	return Outcome{DevelopmentID: c.id}
}

func (e *Engine) drop(reason string) Outcome {
	e.stats.Dropped[reason]++
	return Outcome{Dropped: reason}
}

func (e *Engine) taken(id string) bool { return e.byID[id] != nil }

// seenKeys are the identities of an article: its outlet and ID, and its
// URL. They are worked out once per article.
func (d *doc) seenKeys() []string {
	if d.keys == nil {
		a := d.art
		d.keys = make([]string, 0, 2)
		if a.ID != "" {
			d.keys = append(d.keys, "id\x00"+d.outlet+"\x00"+a.ID)
		}
		if a.URL != "" {
			d.keys = append(d.keys, "url\x00"+urlKey(a.URL))
		}
	}
	return d.keys
}

// repeat returns the kept article that d is (same outlet and ID, or same URL).
func (e *Engine) repeat(d *doc) *doc {
	for _, k := range d.seenKeys() {
		if prev := e.seen[k]; prev != nil {
			return prev
		}
	}
	return nil
}

// keep records d as part of c; idf holds the IDF of d's terms in the
// window as it is now.
func (e *Engine) keep(d *doc, c *cluster, idf *termIDF) {
	e.seq++
	d.seq = e.seq
	c.add(d, idf)
	e.indexCluster(c, d, idf)
	e.dups.add(d)
	for _, k := range d.seenKeys() {
		if e.seen[k] == nil {
			e.seen[k] = d
		}
	}
	e.window = append(e.window, d)
	e.stats.Kept++
}

// Expire forgets the developments whose latest article is older than
// now minus the window, after passing each to Options.OnExpire, and the
// articles older than the window. Add does this by itself as publication
// times advance; call Expire when no articles come for a while.
func (e *Engine) Expire(now time.Time) {
	if now.After(e.latest) {
		e.expire(now)
	}
}

func (e *Engine) expire(now time.Time) {
	e.latest = now
	cutoff := now.Add(-e.opts.Window)
	n := 0
	for _, d := range e.window {
		if !d.time().Before(cutoff) {
			break
		}
		n++
		e.forgetDoc(d)
	}
	e.window = slices.Delete(e.window, 0, n)
	kept := e.clusters[:0]
	for _, c := range e.clusters {
		if c.last.Before(cutoff) {
			e.forgetCluster(c)
			continue
		}
		kept = append(kept, c)
	}
	clear(e.clusters[len(kept):])
	e.clusters = kept
}

func (e *Engine) forgetDoc(d *doc) {
	if d.dupOf == nil {
		e.df.remove(d.feat.all)
	}
	e.dups.remove(d)
	for _, k := range d.seenKeys() {
		if e.seen[k] == d {
			delete(e.seen, k)
		}
	}
}

func (e *Engine) forgetCluster(c *cluster) {
	if e.opts.OnExpire != nil {
		e.opts.OnExpire(e.describe(c, c.last))
	}
	for t := range c.indexed {
		p := e.index[t]
		if p.remove(c) {
			delete(e.index, t)
		} else {
			e.index[t] = p
		}
	}
	delete(e.byID, c.id)
	e.stats.Expired++
}
