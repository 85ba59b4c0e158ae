package redisstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// The outbox is a hash of jobs (the truth), a stream of their ids read by
// the consumer group "senders" (who holds what, and for how long), a sorted
// set of jobs waiting for a retry, and a hash of dead letters. Every change
// is one script over keys that share the hash tag.

var enqueueScript = redis.NewScript(`
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i+1]) == 1 then
    redis.call('XADD', KEYS[2], '*', 'id', ARGV[i])
    n = n + 1
  end
end
return n`)

// claimScript moves due retries into the stream, reclaims entries idle for
// longer than the lease, reads new ones, and returns entry id, job JSON
// pairs; entries whose job is gone or already delivered are completed.
// ARGV: group, consumer, now (ms), n, lease (ms), delivered key prefix.
var claimScript = redis.NewScript(`
local ready = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[3], 'LIMIT', 0, 1000)
for _, id in ipairs(ready) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('XADD', KEYS[1], '*', 'id', id)
end
local n = tonumber(ARGV[4])
local entries = {}
local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[5], '0-0', 'COUNT', n)
for _, e in ipairs(claimed[2]) do
  if e then entries[#entries+1] = e end
end
if #entries < n then
  local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', n - #entries, 'STREAMS', KEYS[1], '>')
  if r then
    for _, e in ipairs(r[1][2]) do entries[#entries+1] = e end
  end
end
local out = {}
for _, e in ipairs(entries) do
  local id = e[2][2]
  local job = redis.call('HGET', KEYS[3], id)
  if job and redis.call('EXISTS', ARGV[6] .. id) == 0 then
    out[#out+1] = e[1]
    out[#out+1] = job
  else
    redis.call('XACK', KEYS[1], ARGV[1], e[1])
    redis.call('XDEL', KEYS[1], e[1])
    if job then redis.call('HDEL', KEYS[3], id) end
  end
end
return out`)

// ackScript: ARGV group, entry id, job id, delivery record ("" = none), ttl (ms).
var ackScript = redis.NewScript(`
if ARGV[4] ~= '' then redis.call('SET', KEYS[3], ARGV[4], 'NX', 'PX', ARGV[5]) end
redis.call('HDEL', KEYS[1], ARGV[3])
if ARGV[2] ~= '' then
  redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
  redis.call('XDEL', KEYS[2], ARGV[2])
end
return 1`)

// retryScript: ARGV group, entry id, job id, job JSON, ready (ms).
var retryScript = redis.NewScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[3]) == 1 then
  redis.call('HSET', KEYS[1], ARGV[3], ARGV[4])
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[3])
end
if ARGV[2] ~= '' then
  redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
  redis.call('XDEL', KEYS[2], ARGV[2])
end
return 1`)

// buryScript: ARGV group, entry id, job id, job JSON.
var buryScript = redis.NewScript(`
redis.call('HDEL', KEYS[1], ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[3], ARGV[4])
if ARGV[2] ~= '' then
  redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
  redis.call('XDEL', KEYS[2], ARGV[2])
end
return 1`)

var requeueScript = redis.NewScript(`
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 then
    if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i+1]) == 1 then
      redis.call('XADD', KEYS[3], '*', 'id', ARGV[i])
    end
    n = n + 1
  end
end
return n`)

// Enqueue implements bot.Outbox.
func (s *Store) Enqueue(ctx context.Context, jobs ...bot.Job) error {
	if len(jobs) == 0 {
		return nil
	}
	args, err := jobArgs(jobs, nil)
	if err != nil {
		return err
	}
	return wrap("enqueue", enqueueScript.Run(ctx, s.rdb, []string{s.k.jobs(), s.k.outbox()}, args...).Err())
}

// ensureGroup creates the consumer group (and the stream) when missing:
// from the start of the stream, so jobs added before it are read too.
func (s *Store) ensureGroup(ctx context.Context) error {
	err := s.rdb.XGroupCreateMkStream(ctx, s.k.outbox(), group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return err
	}
	return nil
}

// Claim implements bot.Outbox. The lease is the entries' idle time, which
// Redis measures by its own clock; now only decides which retries are due.
func (s *Store) Claim(ctx context.Context, consumer string, now time.Time, n int, lease time.Duration) ([]bot.Job, error) {
	keys := []string{s.k.outbox(), s.k.retry(), s.k.jobs()}
	args := []any{group, consumer, now.UnixMilli(), n, lease.Milliseconds(), s.k.deliveredPrefix()}
	res, err := claimScript.Run(ctx, s.rdb, keys, args...).StringSlice()
	if err != nil && strings.Contains(err.Error(), "NOGROUP") {
		if err := s.ensureGroup(ctx); err != nil {
			return nil, wrap("claim", err)
		}
		res, err = claimScript.Run(ctx, s.rdb, keys, args...).StringSlice()
	}
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, wrap("claim", err)
	}
	s.pruneConsumers(ctx)
	out := make([]bot.Job, 0, len(res)/2)
	digests := map[string]*digest.Digest{}
	for i := 0; i+1 < len(res); i += 2 {
		j, err := decodeJob([]byte(res[i+1]), digests)
		if err != nil {
			return nil, fmt.Errorf("redisstore: job of entry %s: %w", res[i], err)
		}
		j.Handle = res[i]
		out = append(out, j)
	}
	return out, nil
}

// Every process joins the consumer group under a name of its own; pruneConsumers
// forgets, every pruneEvery, the names that hold no job and were idle for
// consumerIdle (processes that stopped), so the group does not grow with restarts.
const (
	pruneEvery   = 10 * time.Minute
	consumerIdle = 24 * time.Hour
)

func (s *Store) pruneConsumers(ctx context.Context) {
	now, last := time.Now().UnixNano(), s.lastPrune.Load()
	if now-last < int64(pruneEvery) || !s.lastPrune.CompareAndSwap(last, now) {
		return
	}
	consumers, err := s.rdb.XInfoConsumers(ctx, s.k.outbox(), group).Result()
	if err != nil {
		return // the next round tries again
	}
	for _, c := range consumers {
		if c.Pending == 0 && c.Idle > consumerIdle {
			s.rdb.XGroupDelConsumer(ctx, s.k.outbox(), group, c.Name)
		}
	}
}

// Ack implements bot.Outbox.
func (s *Store) Ack(ctx context.Context, job bot.Job, rec *bot.DeliveryRecord, ttl time.Duration) error {
	data := []byte{}
	if rec != nil {
		var err error
		if data, err = json.Marshal(rec); err != nil {
			return err
		}
	}
	keys := []string{s.k.jobs(), s.k.outbox(), s.k.delivered(job.ID)}
	if rec != nil {
		keys[2] = s.k.delivered(rec.Key.String())
	}
	return wrap("ack", ackScript.Run(ctx, s.rdb, keys, group, job.Handle, job.ID, data, ttl.Milliseconds()).Err())
}

// AckAll implements bot.BatchAcker: every completion is one run of the
// script Ack runs, all of them in one pipeline (one round trip). The script
// is loaded first when Redis lost it (a restart); completing twice changes
// nothing, so the pipeline is simply sent again.
func (s *Store) AckAll(ctx context.Context, done []bot.Completion, ttl time.Duration) error {
	type run struct {
		keys []string
		args []any
	}
	runs := make([]run, len(done))
	for i, c := range done {
		data := []byte{}
		keys := []string{s.k.jobs(), s.k.outbox(), s.k.delivered(c.Job.ID)}
		if c.Rec != nil {
			var err error
			if data, err = json.Marshal(c.Rec); err != nil {
				return err
			}
			keys[2] = s.k.delivered(c.Rec.Key.String())
		}
		runs[i] = run{keys, []any{group, c.Job.Handle, c.Job.ID, data, ttl.Milliseconds()}}
	}
	pipe := func() error {
		_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, r := range runs {
				ackScript.EvalSha(ctx, p, r.keys, r.args...)
			}
			return nil
		})
		return err
	}
	err := pipe()
	if err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT") {
		if err = ackScript.Load(ctx, s.rdb).Err(); err == nil {
			err = pipe()
		}
	}
	return wrap("ack", err)
}

// Retry implements bot.Outbox.
func (s *Store) Retry(ctx context.Context, job bot.Job, at time.Time) error {
	entry := job.Handle
	job.Handle = ""
	data, err := json.Marshal(job)
	if err != nil {
		return err
	}
	keys := []string{s.k.jobs(), s.k.outbox(), s.k.retry()}
	return wrap("retry", retryScript.Run(ctx, s.rdb, keys, group, entry, job.ID, data, at.UnixMilli()).Err())
}

// Bury implements bot.Outbox.
func (s *Store) Bury(ctx context.Context, job bot.Job) error {
	entry := job.Handle
	job.Handle = ""
	data, err := json.Marshal(job)
	if err != nil {
		return err
	}
	keys := []string{s.k.jobs(), s.k.outbox(), s.k.retry(), s.k.dead()}
	return wrap("bury", buryScript.Run(ctx, s.rdb, keys, group, entry, job.ID, data).Err())
}

// OutboxStats implements bot.Outbox.
func (s *Store) OutboxStats(ctx context.Context) (bot.OutboxStats, error) {
	var depth, dead *redis.IntCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		depth, dead = p.HLen(ctx, s.k.jobs()), p.HLen(ctx, s.k.dead())
		return nil
	})
	if err != nil {
		return bot.OutboxStats{}, wrap("outbox stats", err)
	}
	return bot.OutboxStats{Pending: int(depth.Val()), Dead: int(dead.Val())}, nil
}

// DeadLetters implements bot.Outbox.
func (s *Store) DeadLetters(ctx context.Context, n int) ([]bot.Job, error) {
	all, err := s.rdb.HGetAll(ctx, s.k.dead()).Result()
	if err != nil {
		return nil, wrap("dead letters", err)
	}
	out := make([]bot.Job, 0, len(all))
	for id, data := range all {
		var j bot.Job
		if err := json.Unmarshal([]byte(data), &j); err != nil {
			return nil, fmt.Errorf("redisstore: dead letter %q: %w", id, err)
		}
		out = append(out, j)
	}
	slices.SortFunc(out, func(a, b bot.Job) int { return cmp.Or(a.Failed.Compare(b.Failed), cmp.Compare(a.ID, b.ID)) })
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// Requeue implements bot.Outbox.
func (s *Store) Requeue(ctx context.Context, ids ...string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	vals, err := s.rdb.HMGet(ctx, s.k.dead(), ids...).Result()
	if err != nil {
		return 0, wrap("requeue", err)
	}
	var jobs []bot.Job
	for _, v := range vals {
		raw, ok := v.(string)
		if !ok {
			continue
		}
		var j bot.Job
		if err := json.Unmarshal([]byte(raw), &j); err != nil {
			return 0, fmt.Errorf("redisstore: dead letter: %w", err)
		}
		j.Attempts = 0
		jobs = append(jobs, j)
	}
	if len(jobs) == 0 {
		return 0, nil
	}
	args, err := jobArgs(jobs, nil)
	if err != nil {
		return 0, err
	}
	n, err := requeueScript.Run(ctx, s.rdb, []string{s.k.dead(), s.k.jobs(), s.k.outbox()}, args...).Int()
	return n, wrap("requeue", err)
}
