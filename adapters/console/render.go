// Package console prints digests as plain text or Markdown: the Messenger
// `sitrep run` uses while no chat platform is configured, and the renderer
// behind `sitrep digest`.
package console

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// maxOutlets is how many outlets are named before "+N".
const maxOutlets = 3

// Text writes d as plain text.
func Text(w io.Writer, d digest.Digest) error {
	var b strings.Builder
	fmt.Fprintf(&b, "sitrep digest · %s · %d developments since %s\n", stamp(d.Generated), len(d.Developments), stamp(d.Since))
	for i, dev := range d.Developments {
		fmt.Fprintf(&b, "\n%d. %s%s\n", i+1, dev.Headline, mark(dev, d.Since))
		if dev.Summary != "" {
			fmt.Fprintf(&b, "   %s\n", dev.Summary)
		}
		fmt.Fprintf(&b, "   — %s · updated %s · /story %s\n", outlets(dev, func(s digest.Source) string { return s.Name }), dev.Updated.UTC().Format("15:04 MST"), dev.ID)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Markdown writes d as CommonMark, with feed text escaped.
func Markdown(w io.Writer, d digest.Digest) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# sitrep digest · %s\n\n%d developments since %s.\n", stamp(d.Generated), len(d.Developments), stamp(d.Since))
	for i, dev := range d.Developments {
		head := EscapeMarkdown(dev.Headline)
		if len(dev.Sources) > 0 && dev.Sources[0].URL != "" {
			head = "[" + head + "](" + linkTarget(dev.Sources[0].URL) + ")"
		}
		fmt.Fprintf(&b, "\n## %d. %s%s\n\n", i+1, head, mark(dev, d.Since))
		if dev.Summary != "" {
			fmt.Fprintf(&b, "%s\n\n", EscapeMarkdown(dev.Summary))
		}
		src := outlets(dev, func(s digest.Source) string {
			return "[" + EscapeMarkdown(s.Name) + "](" + linkTarget(s.URL) + ")"
		})
		fmt.Fprintf(&b, "*%s · updated %s · id `%s`*\n", src, dev.Updated.UTC().Format("2 Jan 15:04 MST"), dev.ID)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func stamp(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 MST") }

// mark labels a development updated rather than new since the digest's start.
func mark(d digest.Development, since time.Time) string {
	if d.IsNew(since) {
		return ""
	}
	return " (updated)"
}

func outlets(d digest.Development, name func(digest.Source) string) string {
	var names []string
	for i, s := range d.Sources {
		if i == maxOutlets {
			names = append(names, fmt.Sprintf("+%d", len(d.Sources)-maxOutlets))
			break
		}
		names = append(names, name(s))
	}
	return strings.Join(names, ", ")
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"#", `\#`, "|", `\|`, "~", `\~`, "\n", " ", "\r", " ")

// EscapeMarkdown makes feed text inert in Markdown: no emphasis, links,
// HTML or line breaks survive.
func EscapeMarkdown(s string) string { return mdEscaper.Replace(s) }

// linkTarget keeps a URL from closing its Markdown link early.
func linkTarget(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "\n", "", "<", "%3C", ">", "%3E").Replace(u)
}
