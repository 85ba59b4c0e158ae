package redisstore

import (
	"encoding/json"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// storedJob is a job as stored, its digest left undecoded: the jobs of one
// slot carry the same digest, which is decoded once for all of them.
type storedJob struct {
	bot.Job
	Message storedMessage `json:"message"`
}

type storedMessage struct {
	bot.Message
	Digest json.RawMessage
}

// decodeJob decodes a stored job. Its digest is the one in digests with the
// same JSON, or decoded and added there: jobs claimed together may share
// one *digest.Digest, which nothing changes.
func decodeJob(data []byte, digests map[string]*digest.Digest) (bot.Job, error) {
	var sj storedJob
	if err := json.Unmarshal(data, &sj); err != nil {
		return bot.Job{}, err
	}
	j := sj.Job
	j.Message = sj.Message.Message
	raw := sj.Message.Digest
	if len(raw) == 0 || string(raw) == "null" {
		return j, nil
	}
	d, ok := digests[string(raw)]
	if !ok {
		d = new(digest.Digest)
		if err := json.Unmarshal(raw, d); err != nil {
			return bot.Job{}, err
		}
		digests[string(raw)] = d
	}
	j.Message.Digest = d
	return j, nil
}

// encodeJob encodes a job to store (without its Handle). Its digest is
// encoded once for all the jobs that share it (by address) in digests.
func encodeJob(j bot.Job, digests map[*digest.Digest]json.RawMessage) ([]byte, error) {
	j.Handle = ""
	d := j.Message.Digest
	if d == nil {
		return json.Marshal(j)
	}
	raw, ok := digests[d]
	if !ok {
		var err error
		if raw, err = json.Marshal(d); err != nil {
			return nil, err
		}
		digests[d] = raw
	}
	return json.Marshal(storedJob{Job: j, Message: storedMessage{Message: j.Message, Digest: raw}})
}
