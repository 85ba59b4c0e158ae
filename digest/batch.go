package digest

import "sync"

// analyzed is an article prepared and analyzed ahead of Engine.add: what
// prepare and doc.analyze make of it depends on the article and the
// engine's options alone, not on what the engine holds.
type analyzed struct {
	doc      *doc
	relevant bool
}

// batchSize is how many articles AddAll's analysis runs ahead of the
// engine, at most twice over.
const batchSize = 64

// AddAll adds the articles in order, exactly as Add would one after the
// other (Options.OnExpire is called the same way), and returns what Add
// returned for each. It normalizes and analyzes the articles on another
// goroutine while the engine assigns the ones before them, so on a
// machine with two cores or more a batch takes less time. The analysis
// also works out the summary material of the relevant articles from their
// tokens (see textAhead), which costs less than reading their text again
// when they are first summarized.
func (e *Engine) AddAll(articles []Article) []Outcome {
	ready := make(chan []analyzed, 2)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(ready)
		var words wordCache // the engine's own is not safe to share
		e.registerLexicons(&words)
		for from := 0; from < len(articles); from += batchSize {
			batch := articles[from:min(from+batchSize, len(articles))]
			out := make([]analyzed, len(batch))
			for i, a := range batch {
				d := prepare(a)
				out[i].doc = d
				if !d.empty() {
					out[i].relevant = d.analyze(e.topics, &words, e.opts.MaxSummaryChars)
				}
			}
			select {
			case ready <- out:
			case <-stop:
				return
			}
		}
	}()
	defer func() { // also when OnExpire panics
		close(stop)
		wg.Wait()
	}()
	outcomes := make([]Outcome, 0, len(articles))
	for batch := range ready {
		for i := range batch {
			outcomes = append(outcomes, e.add(articles[len(outcomes)], &batch[i]))
		}
	}
	return outcomes
}
