package redisstore

import (
	"net/url"
	"strings"
)

// keys names every key sitrep writes, all under one prefix:
//
//	key                                  type    expiry           holds
//	{p}subs                              hash    none             platform:chat → subscription JSON
//	{p}seen:{source|id}                  string  2 × window       "1": the feed item was ingested
//	{p}feeds                             hash    none             feed URL → feed state JSON (validators, health)
//	{p}art:{source|id}                   string  window           article JSON
//	{p}articles                          zset    trimmed on write source|id scored by expiry (Unix ms)
//	{p}dev:{id}                          string  window           development JSON
//	{p}digest:{id}                       string  trimmed on write digest JSON
//	{p}digests                           zset    trimmed on write digest ids scored by generated (Unix ms)
//	{p}delivered:{platform}:{chat}:{id}  string  30 days          delivery record JSON
type keys struct{ prefix string }

func (k keys) subs() string                { return k.prefix + "subs" }
func (k keys) seen(key string) string      { return k.prefix + "seen:" + key }
func (k keys) feeds() string               { return k.prefix + "feeds" }
func (k keys) article(key string) string   { return k.prefix + "art:" + key }
func (k keys) articles() string            { return k.prefix + "articles" }
func (k keys) dev(id string) string        { return k.prefix + "dev:" + id }
func (k keys) digest(id string) string     { return k.prefix + "digest:" + id }
func (k keys) digests() string             { return k.prefix + "digests" }
func (k keys) delivered(key string) string { return k.prefix + "delivered:" + key }

// redact replaces the password of rawURL wherever it appears in s.
func redact(s, rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return strings.ReplaceAll(s, rawURL, "[redis url]")
	}
	if p, ok := u.User.Password(); ok && p != "" {
		s = strings.ReplaceAll(s, p, "xxxxx")
	}
	return s
}
