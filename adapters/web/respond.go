package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/sitrepbot/sitrep/bot"
)

// cacheFor is how long clients and proxies may keep archive responses.
const cacheFor = "public, max-age=60"

// serve writes body with validators (ETag, Last-Modified), so feed readers
// polling the archive get 304 Not Modified when nothing changed.
func serve(w http.ResponseWriter, r *http.Request, contentType string, modified time.Time, body []byte) {
	sum := sha256.Sum256(body)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", cacheFor)
	if !strings.HasPrefix(contentType, "text/html") { // feeds may be read by pages elsewhere
		w.Header().Set("Access-Control-Allow-Origin", "*")
	}
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	http.ServeContent(w, r, "", modified, bytes.NewReader(body))
}

// baseFor returns the base of absolute links: the public URL, else the
// scheme and host the request came to.
func (s *Server) baseFor(r *http.Request) string {
	if s.base != "" {
		return s.base
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// json serves the front page's digest in the shape of `sitrep digest --format json`.
func (s *Server) json(w http.ResponseWriter, r *http.Request) {
	editions, err := s.opts.Store.LatestDigests(r.Context(), s.opts.Editions)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := frontPage(editions, s.opts.Now(), s.opts.Window, s.opts.Items)
	body, err := json.MarshalIndent(bot.NewPublicDigest(f.asDigest()), "", "  ")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	serve(w, r, "application/json; charset=utf-8", f.Generated, append(body, '\n'))
}
