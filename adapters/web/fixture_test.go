package web_test

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/boltstore"
	"github.com/sitrepbot/sitrep/adapters/web"
	"github.com/sitrepbot/sitrep/digest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The fixture: three editions of the digest, the newest at 18:00 UTC on
// 16 Dec 2025. IDs are the fixture's own, not the engine's.
var (
	at      = time.Date(2025, 12, 16, 18, 0, 0, 0, time.UTC)
	hostile = `<script>alert(1)</script> Hostile "quotes" & <b>tags</b>`
	// longWord cannot wrap at a space: the page must still fit a phone.
	longWord = "https://example.org/" + strings.Repeat("x", 300)
)

func fixtureEditions() []digest.Digest {
	mykolaivV1 := digest.Development{ID: "myk1", Version: 1, Headline: "Drones hit Mykolaiv grain terminal overnight",
		Summary: "Russian drones struck a grain terminal in Mykolaiv, injuring two workers.", ArticleCount: 2,
		FirstSeen: at.Add(-9 * time.Hour), Updated: at.Add(-8 * time.Hour), Score: 2, Lang: "en",
		Sources: []digest.Source{{Name: "Harbour Times", URL: "https://harbour.example/a1", Label: "independent"},
			{Name: "Continental Wire", URL: "https://wire.example/b2"}}}
	mykolaivV2 := mykolaivV1
	mykolaivV2.Version, mykolaivV2.ArticleCount, mykolaivV2.Updated, mykolaivV2.Score = 2, 4, at.Add(-30*time.Minute), 3
	mykolaivV2.Sources = append(mykolaivV2.Sources, digest.Source{Name: "Steppe Observer", URL: "https://steppe.example/c3"},
		digest.Source{Name: "Днепр Daily", URL: "https://dnipro.example/d4", Label: "state-affiliated (Russia)"})
	air := digest.Development{ID: "air2", Version: 1, Headline: "Germany pledges two more air defence systems",
		Summary: "Germany will deliver two more IRIS-T systems early next year.", ArticleCount: 3,
		FirstSeen: at.Add(-7 * time.Hour), Updated: at.Add(-6 * time.Hour), Score: 2.5, Lang: "en",
		Sources: []digest.Source{{Name: "Continental Wire", URL: "https://wire.example/e5"}}}
	bad := digest.Development{ID: "bad3", Version: 1, Headline: hostile, Summary: "A summary with <i>markup</i> & an ampersand. " + longWord,
		ArticleCount: 1, FirstSeen: at.Add(-40 * time.Minute), Updated: at.Add(-40 * time.Minute), Score: 1,
		Sources: []digest.Source{{Name: "Evil <Outlet>", URL: "javascript:alert(2)"}}}
	old := digest.Development{ID: "old4", Version: 1, Headline: "Kherson expands evacuation of families with children",
		Summary: "Authorities ordered the evacuation of eight more settlements.", ArticleCount: 2,
		FirstSeen: at.Add(-30 * time.Hour), Updated: at.Add(-29 * time.Hour), Score: 4,
		Sources: []digest.Source{{Name: "Nordlys Post", URL: "https://nordlys.example/f6"}}}
	return []digest.Digest{
		{ID: "e-3", Generated: at, Since: at.Add(-time.Hour), Developments: []digest.Development{mykolaivV2, bad}},
		{ID: "e-2", Generated: at.Add(-6 * time.Hour), Since: at.Add(-12 * time.Hour), Developments: []digest.Development{air, mykolaivV1}},
		{ID: "e-1", Generated: at.Add(-28 * time.Hour), Since: at.Add(-36 * time.Hour), Developments: []digest.Development{old}},
	}
}

// fixtureStory is the Mykolaiv development with its timeline.
func fixtureStory() digest.Development {
	d := fixtureEditions()[0].Developments[0]
	d.Articles = []digest.ArticleRef{
		{ID: "3", Source: "Steppe Observer", URL: "https://steppe.example/c3", Title: "Grain terminal on fire after strike", Published: at.Add(-2 * time.Hour)},
		{ID: "1", Source: "Harbour Times", URL: "https://harbour.example/a1", Title: "Drones hit Mykolaiv port", Published: at.Add(-9 * time.Hour)},
		{ID: "2", Source: "Continental Wire", URL: "https://wire.example/b2", Title: "Two hurt in Mykolaiv drone attack", Published: at.Add(-8 * time.Hour)},
		{ID: "4", Source: "Днепр Daily", URL: "https://dnipro.example/d4", Title: "Удар по зерновому терміналу", Published: at.Add(-3 * time.Hour)},
	}
	return d
}

// mustFixtureStore returns an embedded store holding the fixture.
func mustFixtureStore(tb testing.TB) *boltstore.Store {
	tb.Helper()
	s, err := boltstore.Open(filepath.Join(tb.TempDir(), "sitrep.db"), boltstore.Options{Now: func() time.Time { return at }})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	ctx := context.Background()
	eds := fixtureEditions()
	for i := len(eds) - 1; i >= 0; i-- {
		if err := s.PutDigest(ctx, eds[i], 100); err != nil {
			tb.Fatal(err)
		}
		if err := s.PutDevelopments(ctx, eds[i].Developments, 72*time.Hour); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// stories finds the fixture story with its timeline; other ids in the store.
type stories struct{ store web.Store }

func (f stories) Story(ctx context.Context, id string) (digest.Development, error) {
	if d := fixtureStory(); id == d.ID {
		return d, nil
	}
	return f.store.GetDevelopment(ctx, id)
}

// mustServer returns a server on the fixture with opts' other fields, and
// a buffer that receives its debug log.
func mustServer(tb testing.TB, opts web.Options) (*web.Server, *bytes.Buffer) {
	tb.Helper()
	if opts.Store == nil {
		opts.Store = mustFixtureStore(tb)
	}
	if opts.Stories == nil {
		opts.Stories = stories{opts.Store}
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return at.Add(time.Minute) }
	}
	var logs bytes.Buffer
	opts.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := web.New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return s, &logs
}

// get requests path from h with the headers given as name, value pairs.
func get(tb testing.TB, h http.Handler, path string, headers ...string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://sitrep.test"+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", name, got)
	}
}

type digestT = digest.Digest

// discardLogger logs nothing.
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
