package web

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var styleCSS []byte

// pages holds the parsed templates: one set per page, each with the layout.
type pages struct {
	byName map[string]*template.Template // index, story, message
	t      *template.Template            // fragments: atom-content
}

func mustParsePages() *pages {
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range []string{"index", "story", "message"} {
		p.byName[name] = template.Must(template.New(name).Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	p.t = template.Must(template.New("fragments").Funcs(funcs).ParseFS(templateFS, "templates/atom-content.html"))
	return p
}

// funcs format times; the zone is the one in the time value.
var funcs = template.FuncMap{
	"iso":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"full":  func(t time.Time) string { return t.Format("2 Jan 2006, 15:04 MST") },
	"when":  func(t time.Time) string { return t.Format("2 Jan, 15:04 MST") },
	"clock": func(t time.Time) string { return t.Format("15:04 MST") },
}

// page is what every page's layout needs.
type page struct {
	Title string
	Base  string // prefix of links: the public URL, or "" for relative links
}

// render executes a page into a buffer first, so a failing template gives
// a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, modified time.Time, data any) {
	var buf bytes.Buffer
	if err := s.pages.byName[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.Error("rendering page", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if status == http.StatusOK {
		serve(w, r, "text/html; charset=utf-8", modified, buf.Bytes())
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// index is the front page: the developments of the last Window.
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	editions, err := s.opts.Store.LatestDigests(r.Context(), s.opts.Editions)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := s.inZone(frontPage(editions, s.opts.Now(), s.opts.Window, s.opts.Items))
	s.render(w, r, http.StatusOK, "index", f.Generated, struct {
		page
		Front front
	}{page{"sitrep · latest developments", s.base}, f})
}

// timelineRow is one article of a story's timeline; Day is set on the
// first article of each day.
type timelineRow struct {
	digest.ArticleRef
	Day string
}

// story is one development's page, with every outlet's article in time order.
func (s *Server) story(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if len(id) > 64 {
		s.notFound(w, r)
		return
	}
	d, err := s.opts.Stories.Story(r.Context(), id)
	if errors.Is(err, bot.ErrNotFound) {
		s.message(w, r, http.StatusNotFound, "No such development",
			"There is no development “"+id+"”: ids expire a few days after a development's last update.")
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	d = s.devInZone(d)
	s.render(w, r, http.StatusOK, "story", d.Updated, struct {
		page
		Dev      digest.Development
		Timeline []timelineRow
	}{page{d.Headline + " · sitrep", s.base}, d, timeline(d.Articles)})
}

func timeline(articles []digest.ArticleRef) []timelineRow {
	sorted := slices.Clone(articles)
	slices.SortStableFunc(sorted, func(a, b digest.ArticleRef) int { return a.Published.Compare(b.Published) })
	rows := make([]timelineRow, len(sorted))
	last := ""
	for i, a := range sorted {
		rows[i].ArticleRef = a
		if day := a.Published.Format("Monday 2 January 2006"); day != last {
			rows[i].Day, last = day, day
		}
	}
	return rows
}

// inZone shows every time of the front page in the configured zone.
func (s *Server) inZone(f front) front {
	f.Generated, f.Since = f.Generated.In(s.opts.Location), f.Since.In(s.opts.Location)
	f.Items = slices.Clone(f.Items)
	for i := range f.Items {
		f.Items[i].Development = s.devInZone(f.Items[i].Development)
	}
	return f
}

func (s *Server) devInZone(d digest.Development) digest.Development {
	loc := s.opts.Location
	d.FirstSeen, d.Updated = d.FirstSeen.In(loc), d.Updated.In(loc)
	d.Articles = slices.Clone(d.Articles)
	for i := range d.Articles {
		d.Articles[i].Published = d.Articles[i].Published.In(loc)
	}
	return d
}

// message renders a short page that explains a status.
func (s *Server) message(w http.ResponseWriter, r *http.Request, status int, heading, text string) {
	s.render(w, r, status, "message", time.Time{}, struct {
		page
		Heading, Text string
	}{page{heading + " · sitrep", s.base}, heading, text})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.message(w, r, http.StatusNotFound, "Page not found", "There is nothing at this address.")
}

// serverError logs err and answers 500 without its details.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("http request failed", "route", r.Pattern, "error", err)
	s.message(w, r, http.StatusInternalServerError, "Something went wrong",
		"sitrep could not read its archive just now. Please try again in a minute.")
}

// style serves the one style sheet.
func (s *Server) style(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(styleCSS))
}
