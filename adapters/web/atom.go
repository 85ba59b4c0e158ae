package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"time"
)

// The Atom feed has one entry per development, not per digest: a feed
// reader shows, marks read and links each entry on its own, and a
// development is the unit a reader follows. An entry's id is its story
// page's URL, so a development that gains outlets keeps its entry, with a
// later <updated>, instead of repeating inside every later digest.

const atomNS = "http://www.w3.org/2005/Atom"

type atomFeed struct {
	XMLName  xml.Name    `xml:"feed"`
	NS       string      `xml:"xmlns,attr"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   atomPerson  `xml:"author"`
	Gen      string      `xml:"generator"`
	Entries  []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title     atomText   `xml:"title"`
	ID        string     `xml:"id"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Links     []atomLink `xml:"link"`
	Summary   atomText   `xml:"summary"`
	Content   atomText   `xml:"content"`
}

// atom serves the Atom 1.0 feed of the latest developments.
func (s *Server) atom(w http.ResponseWriter, r *http.Request) {
	editions, err := s.opts.Store.LatestDigests(r.Context(), s.opts.Editions)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	updated := s.opts.Now()
	if len(editions) > 0 {
		updated = editions[0].Generated
	}
	body, err := s.renderAtom(s.baseFor(r), updated, latest(editions, s.opts.Entries))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	serve(w, r, "application/atom+xml; charset=utf-8", updated, body)
}

// renderAtom writes the feed of items with absolute links under base.
func (s *Server) renderAtom(base string, updated time.Time, items []item) ([]byte, error) {
	f := atomFeed{
		NS:       atomNS,
		Title:    "sitrep: latest developments",
		Subtitle: "What happened in the war in Ukraine, each development once, with the outlets that report it.",
		ID:       base + "/digest.atom",
		Updated:  atomTime(updated),
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/digest.atom"},
			{Rel: "alternate", Type: "text/html", Href: base + "/"}},
		Author: atomPerson{Name: "sitrep"},
		Gen:    "sitrep",
	}
	for _, it := range items {
		var content bytes.Buffer
		if err := s.pages.t.ExecuteTemplate(&content, "atom-content", it); err != nil {
			return nil, fmt.Errorf("web: atom: %w", err)
		}
		link := base + "/story/" + it.ID
		f.Entries = append(f.Entries, atomEntry{
			Title:     atomText{Type: "text", Body: it.Headline},
			ID:        link,
			Updated:   atomTime(it.Updated),
			Published: atomTime(it.FirstSeen),
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: link}},
			Summary:   atomText{Type: "text", Body: it.Summary},
			Content:   atomText{Type: "html", Body: content.String()},
		})
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("web: atom: %w", err)
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
