package digest

import (
	"reflect"
	"testing"
	"time"
)

// TestTextAhead checks that the summary material worked out from the
// analysis tokens is what doc.text works out from the text, on every
// article of the corpus and on some whose number words tokenize joins
// across sentences.
func TestTextAhead(t *testing.T) {
	arts := xcorpus(t)
	for _, content := range []string{
		"Russian forces launched drones at Kyiv, the military said. Air defence units over the capital shot down forty. Two hundred more were reported over the region on Monday night.",
		"Ukraine's army said troops held the town, the general staff said. The brigade said its losses near the town were one hundred and. Five villages were retaken near the front line, officials said.",
		"Moscow said talks with Kyiv would resume in a hundred. Days of shelling hit Kharkiv, where one person was killed and two were wounded by drones.",
		"One of the drones hit a school in Kharkiv, where one person was killed, officials said. Two were wounded and three hundred people left the area on Monday.",
		"Kyiv said on Monday that 1,200 drones and 9.5% of missiles were shot down by air defence. Two soldiers were hurt in the Russian attack on the city, officials said.",
	} {
		arts = append(arts, Article{ID: content[:12], Source: "Test Wire", Title: "Russian drones attack Kyiv, two hundred shot down",
			Summary: "Two hundred drones. Forty more came at night over Kyiv and the region, officials said.", Content: content, Published: time.Now()})
	}
	e := NewEngine(Options{})
	max := e.opts.MaxSummaryChars
	ahead, sentences := 0, 0
	for _, a := range arts {
		d := prepare(a)
		if d.empty() || !d.analyze(e.topics, &e.words, max) {
			continue
		}
		if d.sum == nil {
			t.Fatalf("%s: analyze worked out no summary material for a relevant article", a.ID)
		}
		got := d.sum
		d.sum = nil
		want := d.text(max, &e.words)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: textAhead = %+v\nwant %+v", a.ID, got, want)
		}
		ahead++
		sentences += len(got.sentences)
	}
	if ahead < len(arts)/2 || sentences < ahead {
		t.Errorf("compared %d articles and %d sentences of %d articles", ahead, sentences, len(arts))
	}
}

// TestTextAheadCopy checks that an article found to copy another keeps
// no sentences of its own, as doc.text gives.
func TestTextAheadCopy(t *testing.T) {
	e := NewEngine(Options{})
	a := Article{ID: "a", Source: "Wire", URL: "https://wire.example/a", Title: "Russian drones hit Odesa port, four injured",
		Content:   "Russian drones struck the port of Odesa overnight, damaging two grain terminals and injuring four dock workers, the governor said.",
		Published: time.Date(2025, 12, 14, 9, 0, 0, 0, time.UTC)}
	b := a
	b.ID, b.Source, b.URL = "b", "Port Gazette", "https://gazette.example/b"
	b.Published = b.Published.Add(time.Hour)
	e.AddAll([]Article{a, b})
	if len(e.clusters) != 1 || len(e.clusters[0].docs) != 2 {
		t.Fatalf("want one development of two articles, got %d developments", len(e.clusters))
	}
	orig, cp := e.clusters[0].docs[0], e.clusters[0].docs[1]
	if cp.dupOf != orig {
		t.Fatal("the second article is not a copy")
	}
	if len(orig.sum.sentences) == 0 || len(cp.sum.sentences) != 0 {
		t.Errorf("sentences: original %d, copy %d; want some and none", len(orig.sum.sentences), len(cp.sum.sentences))
	}
}
