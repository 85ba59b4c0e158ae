package redisstore

import (
	"net/url"
	"strings"
)

// keys names every key sitrep writes. All start with the configured prefix
// (default "sitrep:"), written {p} below. The keys that the delivery scripts
// touch together carry the hash tag {q}, so that on a Redis Cluster they live
// in one slot (one shard) and each script or transaction stays atomic; the
// per-article keys have no tag and spread over the cluster.
//
//	key                                   type    expiry               owner      holds
//	{p}{q}subs                            hash    none                 bot        platform:chat → subscription JSON
//	{p}{q}due                             zset    none                 scheduler  platform:chat of each active subscription, scored by next due (Unix ms)
//	{p}{q}jobs                            hash    until completed      outbox     job id → job JSON (message, due, attempts)
//	{p}{q}outbox                          stream  entries deleted when completed  outbox  {id: job id}; consumer group "senders", one consumer per process (idle ones pruned after a day)
//	{p}{q}retry                           zset    until ready          outbox     job id scored by when it may be retried (Unix ms)
//	{p}{q}dead                            hash    none (operator)      outbox     job id → job JSON of a delivery that failed too often
//	{p}{q}delivered:{platform}:{chat}:{id} string 30 days              outbox     delivery record JSON: the idempotency key, completed
//	{p}seen:{source|id}                   string  2 × window           feeds      "1": the feed item was ingested
//	{p}feeds                              hash    none                 feeds      feed URL → feed state JSON (validators, health)
//	{p}art:{source|id}                    string  window               engine     article JSON
//	{p}articles                           zset    trimmed on write     engine     source|id scored by expiry (Unix ms)
//	{p}dev:{id}                           string  window               engine     development JSON with its timeline
//	{p}digest:{id}                        string  trimmed on write     engine     digest JSON (editions)
//	{p}digests                            zset    trimmed on write     engine     digest ids scored by generated (Unix ms)
//	{p}latest                             string  none (replaced)      leader     the leader's top developments, for /latest on followers
//	{p}alert:{development id}             string  window               alerts     alert state JSON: outlets shown, chats sent to
//	{p}slot:{name}                        zset    the window           pacing     event times of one pace key (alerts per chat per hour, /latest cooldown)
//	{p}leader                             string  lease (renewed)      leadership the leader's lock token (bsm/redislock)
//	rate:{p}rate:{bucket}                 string  until the bucket is full  limiter  GCRA state of a token bucket (go-redis/redis_rate adds "rate:")
type keys struct{ prefix string }

// tag is the hash tag of the keys the delivery scripts touch together.
const tag = "{q}"

func (k keys) subs() string                { return k.prefix + tag + "subs" }
func (k keys) due() string                 { return k.prefix + tag + "due" }
func (k keys) jobs() string                { return k.prefix + tag + "jobs" }
func (k keys) outbox() string              { return k.prefix + tag + "outbox" }
func (k keys) retry() string               { return k.prefix + tag + "retry" }
func (k keys) dead() string                { return k.prefix + tag + "dead" }
func (k keys) delivered(key string) string { return k.deliveredPrefix() + key }
func (k keys) deliveredPrefix() string     { return k.prefix + tag + "delivered:" }
func (k keys) seen(key string) string      { return k.prefix + "seen:" + key }
func (k keys) feeds() string               { return k.prefix + "feeds" }
func (k keys) article(key string) string   { return k.prefix + "art:" + key }
func (k keys) articles() string            { return k.prefix + "articles" }
func (k keys) dev(id string) string        { return k.prefix + "dev:" + id }
func (k keys) digest(id string) string     { return k.prefix + "digest:" + id }
func (k keys) digests() string             { return k.prefix + "digests" }
func (k keys) latest() string              { return k.prefix + "latest" }
func (k keys) alert(devID string) string   { return k.prefix + "alert:" + devID }
func (k keys) slot(name string) string     { return k.prefix + "slot:" + name }
func (k keys) leader() string              { return k.prefix + "leader" }
func (k keys) rate(bucket string) string   { return k.prefix + "rate:" + bucket }

// group is the outbox stream's consumer group.
const group = "senders"

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
