package digest_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

var t0 = time.Date(2025, 12, 14, 9, 0, 0, 0, time.UTC)

const wireText = `KYIV, Dec 14 (Wire) - Russian drones struck the port of Odesa overnight, damaging two grain terminals and injuring four dock workers, the regional governor said on Sunday.

The attack began shortly after midnight and lasted about three hours. Air defence units shot down 31 of 40 drones over the Odesa region, the air force said.

Port authorities said loading of grain ships would resume on Monday after repairs to a damaged conveyor line at the larger of the two terminals.

The Black Sea port has been targeted repeatedly since the summer, as Russia tries to disrupt Ukraine's grain exports through its own shipping corridor.

Insurers said premiums for ships calling at Odesa were likely to rise again after the latest attack.`

// article returns a relevant article about the Odesa port strike.
func article(id, source string, at time.Duration) digest.Article {
	return digest.Article{
		ID: id, Source: source, URL: "https://" + strings.ToLower(strings.ReplaceAll(source, " ", "")) + ".example/" + id,
		Title:     "Russian drones hit Odesa grain terminals, four injured",
		Content:   wireText,
		Published: t0.Add(at),
	}
}

func TestWireCopy(t *testing.T) {
	e := digest.NewEngine(digest.Options{})
	orig := e.Add(article("a1", "Wire Service", 0))
	if orig.Dropped != "" || orig.DevelopmentID == "" {
		t.Fatalf("original: %+v", orig)
	}
	cp := article("b1", "Port Gazette", time.Hour)
	cp.Title = "Odesa port hit again as drones target grain terminals"
	cp.Content = "By Wire Service\n\n" + wireText[:strings.LastIndex(wireText, "\n\n")] // byline added, ending trimmed
	got := e.Add(cp)
	if got.DevelopmentID != orig.DevelopmentID || got.DuplicateOf != "a1" || got.Dropped != "" {
		t.Fatalf("copy: got %+v, want development %s, duplicate of a1", got, orig.DevelopmentID)
	}
	// The same article again from the same outlet is not a new outlet.
	if again := e.Add(cp); again.Dropped != digest.DropDuplicate || again.DevelopmentID != orig.DevelopmentID {
		t.Errorf("repeat: got %+v, want dropped as %q in %s", again, digest.DropDuplicate, orig.DevelopmentID)
	}
	// Nor is a second article by an outlet already there.
	second := article("b2", "port gazette", 2*time.Hour)
	second.Content = "Odesa port workers cleared debris at the two grain terminals hit by Russian drones, and the governor said four injured dock workers were in stable condition. Loading of grain ships will resume on Monday."
	second.Title = "Odesa grain terminals clear debris after drone strike"
	e.Add(second)
	d, ok := e.Development(orig.DevelopmentID)
	if !ok {
		t.Fatal("development not found")
	}
	if len(d.Sources) != 2 {
		t.Errorf("sources = %+v, want Wire Service and Port Gazette once each", d.Sources)
	}
	if d.ArticleCount != 3 || len(d.Articles) != 3 {
		t.Errorf("article count %d, timeline %d, want 3", d.ArticleCount, len(d.Articles))
	}
	if s := e.Stats(); s.Duplicates != 1 || s.Dropped[digest.DropDuplicate] != 1 {
		t.Errorf("stats = %+v, want one wire copy and one repeat", s)
	}
}

func TestDrops(t *testing.T) {
	tests := []struct {
		name string
		a    digest.Article
		want string
	}{
		{"empty", digest.Article{ID: "e", Source: "S", Published: t0}, digest.DropEmpty},
		{"off topic", digest.Article{ID: "o", Source: "S", Published: t0, Title: "Biathlon: Norway's Solheim wins Hochfilzen sprint",
			Content: "Norway's Eirik Solheim won the men's sprint at the biathlon World Cup on Friday, shooting clean in both stages."}, digest.DropIrrelevant},
		{"place without war", digest.Article{ID: "p", Source: "S", Published: t0, Title: "Lviv's Christmas fair opens with record number of stalls",
			Content: "Lviv's Christmas fair opened on Rynok Square in western Ukraine with 140 stalls selling handmade toys and food, the city council said."}, digest.DropIrrelevant},
		{"stale", article("s", "S", -4*24*time.Hour), digest.DropStale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := digest.NewEngine(digest.Options{})
			e.Add(article("now", "Wire", 0))
			if got := e.Add(tt.a); got.Dropped != tt.want || got.DevelopmentID != "" {
				t.Errorf("Add = %+v, want dropped as %q", got, tt.want)
			}
			if n := e.Stats().Dropped[tt.want]; n != 1 {
				t.Errorf("Stats().Dropped[%q] = %d, want 1", tt.want, n)
			}
		})
	}
}

func TestVersionAndDigestSince(t *testing.T) {
	e := digest.NewEngine(digest.Options{})
	id := e.Add(article("a1", "Wire Service", 0)).DevelopmentID
	v := func() int {
		d, _ := e.Development(id)
		return d.Version
	}
	if v() != 1 {
		t.Fatalf("version %d, want 1", v())
	}
	// Same outlet, nothing new in the lead: same version.
	follow := article("a2", "Wire Service", time.Hour)
	follow.Title = "Odesa grain terminals hit by Russian drones"
	follow.Content = "Russian drones struck two grain terminals at the port of Odesa overnight and injured four dock workers, the governor said.\n\n" + wireText
	if got := e.Add(follow).DevelopmentID; got != id {
		t.Fatalf("follow-up went to %s, want %s", got, id)
	}
	if v() != 1 {
		t.Errorf("version %d after a same-outlet follow-up, want 1", v())
	}
	since := t0.Add(90 * time.Minute)
	if d := e.Digest(t0.Add(3*time.Hour), since, 0); len(d.Developments) != 0 {
		t.Errorf("digest since %s has %d developments, want none: nothing changed", since, len(d.Developments))
	}
	// A new lead number (the toll rises) is a new version.
	toll := article("a3", "Wire Service", 2*time.Hour)
	toll.Title = "Injured in Odesa port drone strike rise to 11"
	toll.Content = "The number of people injured in the Russian drone strike on Odesa's grain terminals rose to 11, the governor said.\n\n" + wireText
	e.Add(toll)
	if v() != 2 {
		t.Errorf("version %d after a new lead fact, want 2", v())
	}
	// A new outlet is a new version.
	other := article("b1", "Port Gazette", 3*time.Hour)
	other.Content = "Drones launched by Russia damaged two grain terminals in Odesa's port, where 11 people were hurt, regional officials said, and loading will resume on Monday."
	other.Title = "Drone strike damages Odesa grain terminals"
	e.Add(other)
	if v() != 3 {
		t.Errorf("version %d after a new outlet, want 3", v())
	}
	d := e.Digest(t0.Add(4*time.Hour), since, 0)
	if len(d.Developments) != 1 || d.Developments[0].ID != id {
		t.Fatalf("digest since %s = %+v, want %s", since, d.Developments, id)
	}
	if got := d.Developments[0]; got.IsNew(since) || got.Updated != other.Published {
		t.Errorf("development first seen %s, updated %s: want updated, not new, at %s", got.FirstSeen, got.Updated, other.Published)
	}
}

func TestExpire(t *testing.T) {
	var expired []digest.Development
	e := digest.NewEngine(digest.Options{Window: 24 * time.Hour, OnExpire: func(d digest.Development) { expired = append(expired, d) }})
	id := e.Add(article("a1", "Wire Service", 0)).DevelopmentID
	e.Expire(t0.Add(23 * time.Hour))
	if _, ok := e.Development(id); !ok || len(expired) != 0 {
		t.Fatalf("development forgotten within the window")
	}
	e.Expire(t0.Add(25 * time.Hour))
	if _, ok := e.Development(id); ok {
		t.Errorf("development %s still held a window after its last article", id)
	}
	if len(expired) != 1 || expired[0].ID != id || expired[0].Headline == "" {
		t.Errorf("OnExpire got %+v, want the final state of %s", expired, id)
	}
	if s := e.Stats(); s.Developments != 0 || s.Expired != 1 {
		t.Errorf("stats = %+v, want no development held and one expired", s)
	}
	// A later article on the same subject starts a new development.
	if got := e.Add(article("a2", "Wire Service", 26*time.Hour)).DevelopmentID; got == id || got == "" {
		t.Errorf("article after expiry went to %q", got)
	}
}

func TestRanking(t *testing.T) {
	e := digest.NewEngine(digest.Options{SourceWeights: map[string]float64{"Minor Blog": 0.1}})
	big := e.Add(article("a1", "Wire Service", 0)).DevelopmentID
	for i, src := range []string{"Port Gazette", "Kyiv Ledger", "Danube Post"} {
		a := article(fmt.Sprint("o", i), src, time.Duration(i+1)*time.Minute)
		a.Title = fmt.Sprintf("Drones hit grain terminals in Odesa port (%s)", src)
		a.Content = fmt.Sprintf("%s: Russian drones struck two grain terminals at Odesa port and injured four dock workers, the regional governor said on Sunday.", src)
		e.Add(a)
	}
	small := e.Add(digest.Article{ID: "k1", Source: "Minor Blog", URL: "https://minor.example/k1", Published: t0.Add(time.Hour),
		Title: "Kherson bus hit by Russian drone, one killed",
		Content: "A Russian FPV drone struck a passenger bus in Kherson's Dniprovskyi district on Sunday morning, killing one passenger and wounding six, the regional military administration said.\n\n" +
			"The city suspended three bus routes along the Dnipro river. Photographs showed the burnt-out shell of the bus with its windows shattered.\n\n" +
			"Kherson, on the right bank of the river, is shelled daily from Russian positions on the left bank."}).DevelopmentID
	d := e.Digest(t0.Add(2*time.Hour), t0, 0)
	if len(d.Developments) != 2 || d.Developments[0].ID != big || d.Developments[1].ID != small {
		t.Fatalf("ranking = %+v, want %s (four outlets) before %s (one light outlet)", d.Developments, big, small)
	}
	if lim := e.Digest(t0.Add(2*time.Hour), t0, 1); len(lim.Developments) != 1 {
		t.Errorf("limit 1 gave %d developments", len(lim.Developments))
	}
}
