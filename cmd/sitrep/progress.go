package main

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/sitrepbot/sitrep/adapters/feeds"
	"github.com/sitrepbot/sitrep/bot"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress shows a bar on stderr while a person watches: when stdout and
// stderr are terminals. Otherwise (a pipe, a file, a test) it does nothing.
type progress struct {
	bar *progressbar.ProgressBar
}

func newProgress(e env, total int, description string) *progress {
	if total <= 0 || e.isTerminal == nil || !e.isTerminal(e.stdout) || !e.isTerminal(e.stderr) {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// add counts one step done.
func (p *progress) add() {
	if p.bar != nil {
		p.bar.Add(1)
	}
}

// finish ends the bar and clears its line.
func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

// collectFeeds collects each feed once, through one Collector (so that its
// per-host and global limits hold across feeds), counting finished feeds on
// the bar.
func collectFeeds(ctx context.Context, list []feeds.Feed, opts feeds.Options, bar *progress) (bot.Collection, error) {
	defer bar.finish()
	opts.FeedDone = func(bot.FeedResult) { bar.add() }
	return feeds.New(list, nil, opts).Collect(ctx)
}
