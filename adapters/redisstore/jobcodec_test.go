package redisstore

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/digest"
)

// TestDecodeJob: decodeJob reads what json.Unmarshal reads, and jobs with
// the same digest share it. The jobs here are encoded as every earlier
// version stored them (encoding/json of bot.Job), so an outbox left by one
// is read as before.
func TestDecodeJob(t *testing.T) {
	at := time.Date(2025, 12, 16, 6, 0, 0, 0, time.UTC)
	dg := digest.Digest{ID: "s-1", Generated: at, Since: at.Add(-24 * time.Hour),
		Developments: []digest.Development{{ID: "k3x9qa", Version: 2, Headline: "Drones hit Odesa port",
			Sources: []digest.Source{{Name: "Kyiv Ledger"}}, Updated: at}}}
	dev := dg.Developments[0]
	msg := func(chat string) bot.Message {
		return bot.Message{Key: bot.DeliveryKey{Platform: bot.Telegram, ChatID: chat, DigestID: "s-1"}, ChatID: chat,
			ThreadID: "7", Kind: bot.KindDigest, Digest: &dg, Lang: "uk"}
	}
	alert := bot.Message{Key: bot.DeliveryKey{Platform: bot.Discord, ChatID: "9", DigestID: "a-k3x9qa"}, ChatID: "9",
		Kind: bot.KindAlert, Development: &dev}
	text := bot.Message{Key: bot.DeliveryKey{Platform: bot.Discord, ChatID: "9", DigestID: "reply-1"}, ChatID: "9", Text: "hi", ReplyTo: "5"}
	jobs := []bot.Job{bot.NewJob(msg("1"), at), bot.NewJob(msg("2"), at), bot.NewJob(alert, at), bot.NewJob(text, at)}
	jobs[1].Attempts, jobs[1].LastError, jobs[1].Failed, jobs[1].ChatKind = 2, "502", at, bot.ChatPrivate
	jobs[2].EditOf = "a-k3x9qa"
	digests := map[string]*digest.Digest{}
	var got []bot.Job
	for _, j := range jobs {
		data, err := json.Marshal(j)
		if err != nil {
			t.Fatal(err)
		}
		var want bot.Job
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		j, err := decodeJob(data, digests)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(j, want) {
			t.Errorf("decodeJob = %+v, want %+v", j, want)
		}
		got = append(got, j)
	}
	if got[0].Message.Digest != got[1].Message.Digest || len(digests) != 1 {
		t.Errorf("two jobs with the same digest: %p and %p, %d digests decoded; want one", got[0].Message.Digest, got[1].Message.Digest, len(digests))
	}
}

// TestEncodeJob: encodeJob writes what decodes to the job, with plain
// encoding/json too (as an instance of an earlier version reads it during a
// rolling upgrade), and encodes a digest shared by several jobs once.
func TestEncodeJob(t *testing.T) {
	at := time.Date(2025, 12, 16, 6, 0, 0, 0, time.UTC)
	dg := &digest.Digest{ID: "s-1", Generated: at, Developments: []digest.Development{{ID: "k3x9qa", Headline: "Drones hit Odesa port"}}}
	msg := func(chat string, d *digest.Digest) bot.Message {
		return bot.Message{Key: bot.DeliveryKey{Platform: bot.Discord, ChatID: chat, DigestID: "s-1"}, ChatID: chat, Kind: bot.KindDigest, Digest: d, Lang: "en"}
	}
	jobs := []bot.Job{bot.NewJob(msg("1", dg), at), bot.NewJob(msg("2", dg), at), bot.NewJob(bot.Message{ChatID: "3", Text: "hi"}, at)}
	jobs[0].Handle = "1-0"
	digests := map[*digest.Digest]json.RawMessage{}
	for _, j := range jobs {
		data, err := encodeJob(j, digests)
		if err != nil {
			t.Fatal(err)
		}
		var got bot.Job
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatal(err)
		}
		want := j
		want.Handle = ""
		if wantJSON, _ := json.Marshal(want); !reflect.DeepEqual(got, decoded(t, wantJSON)) {
			t.Errorf("encodeJob decodes to %+v, want %+v", got, want)
		}
	}
	if len(digests) != 1 {
		t.Errorf("%d digests encoded, want 1", len(digests))
	}
}

func decoded(t *testing.T, data []byte) bot.Job {
	t.Helper()
	var j bot.Job
	if err := json.Unmarshal(data, &j); err != nil {
		t.Fatal(err)
	}
	return j
}
