package e2e

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/adapters/discord/discordtest"
	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/adapters/feeds/feedstest"
	"github.com/sitrepbot/sitrep/adapters/telegram/telegramtest"
)

// world is everything outside sitrep that its processes talk to: a fake
// Telegram, a fake Discord, and the shared corpus served as one feed per
// outlet, brought forward so that its newest article is ten minutes old.
type world struct {
	tg     *telegramtest.Server
	dc     *discordtest.Server
	feeds  *feedstest.Server
	dir    string
	config string // configuration file: the corpus feeds as sources
}

// worldOptions set the fakes' limits and tokens; zero fields take the
// fakes' defaults (the platforms' own limits).
type worldOptions struct {
	telegram      telegramtest.Limits
	telegramToken string
	discord       discordtest.Options
}

func newWorld(tb testing.TB, opts worldOptions) *world {
	tb.Helper()
	shared := telegramtest.SharedDir(tb)
	items, err := feeds.ReadCorpusFile(filepath.Join(shared, "corpus", "articles.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	w := &world{dir: tb.TempDir(),
		tg:    telegramtest.New(tb, telegramtest.Options{Limits: opts.telegram, Token: opts.telegramToken}),
		dc:    discordtest.New(tb, opts.discord),
		feeds: feedstest.New(tb, items, feedstest.Options{NewestAt: time.Now().Add(-10 * time.Minute)})}
	w.config = writeSources(tb, w.dir, w.feeds.Feeds())
	return w
}

// writeSources writes a configuration file whose sources are fs, read from
// the feeds alone (their article pages are not on the feed server).
func writeSources(tb testing.TB, dir string, fs []feeds.Feed) string {
	tb.Helper()
	type source struct {
		Name     string `json:"name"`
		URL      string `json:"url"`
		FullText string `json:"full_text"`
	}
	var cfg struct {
		Sources []source `json:"sources"`
	}
	for _, f := range fs {
		cfg.Sources = append(cfg.Sources, source{Name: f.Name, URL: f.URL, FullText: "never"})
	}
	data, err := json.Marshal(cfg) // JSON is YAML
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "sitrep.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// env returns the variables of a sitrep process in the world, with both
// platforms (Discord over the gateway), the corpus feeds, the embedded store
// in its own directory and the HTTP server on a free port; extra variables
// are added, or override these (an empty value unsets a platform's token).
func (w *world) env(extra map[string]string) map[string]string {
	env := map[string]string{
		"SITREP_CONFIG":                 w.config,
		"SITREP_DATA_DIR":               filepath.Join(w.dir, "data"),
		"SITREP_HTTP_LISTEN":            "127.0.0.1:0",
		"SITREP_TELEGRAM_TOKEN":         w.tg.Token(),
		"SITREP_TELEGRAM_API_URL":       w.tg.URL(),
		"SITREP_DISCORD_TOKEN":          w.dc.Token(),
		"SITREP_DISCORD_APPLICATION_ID": w.dc.ApplicationID(),
		"SITREP_DISCORD_API_URL":        w.dc.URL(),
	}
	maps.Copy(env, extra)
	return env
}

// rateLimited counts the 429 answers of both fakes.
func (w *world) rateLimited() (telegram, discord int) { return w.tg.RateLimited(), w.dc.RateLimited() }
