package redisstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// DueSubscriptions implements bot.ScheduleStore. The token is the stored JSON.
func (s *Store) DueSubscriptions(ctx context.Context, now time.Time, n int) ([]bot.Due, error) {
	fields, err := s.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{Key: s.k.due(), ByScore: true, Start: "-inf",
		Stop: strconv.FormatInt(now.UnixMilli(), 10), Count: int64(n)}).Result()
	if err != nil || len(fields) == 0 {
		return nil, wrap("due subscriptions", err)
	}
	vals, err := s.rdb.HMGet(ctx, s.k.subs(), fields...).Result()
	if err != nil {
		return nil, wrap("due subscriptions", err)
	}
	out := make([]bot.Due, 0, len(vals))
	for i, v := range vals {
		raw, ok := v.(string)
		if !ok {
			continue // deleted meanwhile
		}
		var sub bot.Subscription
		if err := json.Unmarshal([]byte(raw), &sub); err != nil {
			return nil, fmt.Errorf("redisstore: subscription %q: %w", fields[i], err)
		}
		out = append(out, bot.Due{Sub: sub, Token: raw})
	}
	return out, nil
}

// commitScript applies claims, each only when the stored subscription is
// still its token. ARGV per claim: field, token, new JSON, new due score (""
// = out of the index), job count, then id and JSON of each job.
var commitScript = redis.NewScript(`
local out = {}
local i = 1
while i <= #ARGV do
  local field, token, data, score, n = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3], tonumber(ARGV[i+4])
  i = i + 5
  local ok = 0
  if redis.call('HGET', KEYS[1], field) == token then
    redis.call('HSET', KEYS[1], field, data)
    if score == '' then redis.call('ZREM', KEYS[2], field) else redis.call('ZADD', KEYS[2], score, field) end
    for j = 0, n - 1 do
      if redis.call('HSETNX', KEYS[3], ARGV[i+2*j], ARGV[i+2*j+1]) == 1 then
        redis.call('XADD', KEYS[4], '*', 'id', ARGV[i+2*j])
      end
    end
    ok = 1
  end
  i = i + 2*n
  out[#out+1] = ok
end
return out`)

// CommitSchedule implements bot.ScheduleStore in one script call.
func (s *Store) CommitSchedule(ctx context.Context, claims []bot.Claim) ([]bool, error) {
	if len(claims) == 0 {
		return nil, nil
	}
	var args []any
	digests := map[*digest.Digest]json.RawMessage{} // the claims of one slot share theirs
	for _, c := range claims {
		data, err := json.Marshal(c.Sub)
		if err != nil {
			return nil, err
		}
		score := ""
		if c.Sub.Active && !c.Sub.NextDue.IsZero() {
			score = strconv.FormatInt(c.Sub.NextDue.UnixMilli(), 10)
		}
		args = append(args, subField(c.Sub.Platform, c.Sub.ChatID), c.Token, data, score, len(c.Jobs))
		jobArgs, err := jobArgs(c.Jobs, digests)
		if err != nil {
			return nil, err
		}
		args = append(args, jobArgs...)
	}
	res, err := commitScript.Run(ctx, s.rdb, []string{s.k.subs(), s.k.due(), s.k.jobs(), s.k.outbox()}, args...).Int64Slice()
	if err != nil {
		return nil, wrap("commit schedule", err)
	}
	out := make([]bool, len(res))
	for i, r := range res {
		out[i] = r == 1
	}
	return out, nil
}

// jobArgs lays jobs out as id, JSON pairs; digests holds the digests
// encoded so far (see encodeJob), nil for none.
func jobArgs(jobs []bot.Job, digests map[*digest.Digest]json.RawMessage) ([]any, error) {
	if digests == nil {
		digests = map[*digest.Digest]json.RawMessage{}
	}
	args := make([]any, 0, 2*len(jobs))
	for _, j := range jobs {
		data, err := encodeJob(j, digests)
		if err != nil {
			return nil, err
		}
		args = append(args, j.ID, data)
	}
	return args, nil
}
