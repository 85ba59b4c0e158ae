package main

import (
	"time"

	"github.com/sitrepbot/sitrep/digest"
)

// jsonDigest is the JSON shape `sitrep digest --format json` prints: a fixed
// contract other tools read.
type jsonDigest struct {
	Generated    time.Time         `json:"generated"`
	Since        time.Time         `json:"since"`
	Developments []jsonDevelopment `json:"developments"`
}

type jsonDevelopment struct {
	ID           string       `json:"id"`
	Headline     string       `json:"headline"`
	Summary      string       `json:"summary"`
	Sources      []jsonSource `json:"sources"`
	ArticleCount int          `json:"article_count"`
	FirstSeen    time.Time    `json:"first_seen"`
	Updated      time.Time    `json:"updated"`
	Score        float64      `json:"score"`
}

type jsonSource struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

func publicDigest(d digest.Digest) jsonDigest {
	out := jsonDigest{Generated: d.Generated.UTC(), Since: d.Since.UTC(), Developments: []jsonDevelopment{}}
	for _, dev := range d.Developments {
		j := jsonDevelopment{ID: dev.ID, Headline: dev.Headline, Summary: dev.Summary, ArticleCount: dev.ArticleCount,
			FirstSeen: dev.FirstSeen.UTC(), Updated: dev.Updated.UTC(), Score: dev.Score, Sources: []jsonSource{}}
		for _, s := range dev.Sources {
			j.Sources = append(j.Sources, jsonSource{Name: s.Name, URL: s.URL})
		}
		out.Developments = append(out.Developments, j)
	}
	return out
}
