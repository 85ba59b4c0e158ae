package telegramtest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// answer is the Bot API's answer envelope.
type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// postForm calls a method with form values.
func postForm(tb testing.TB, s *Server, method string, values url.Values) answer {
	tb.Helper()
	resp, err := http.PostForm(s.URL()+"/bot"+s.Token()+"/"+method, values)
	if err != nil {
		tb.Fatal(err)
	}
	return decode(tb, resp)
}

// postJSON calls a method with a JSON body.
func postJSON(tb testing.TB, s *Server, method, body string) answer {
	tb.Helper()
	resp, err := http.Post(s.URL()+"/bot"+s.Token()+"/"+method, "application/json", strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return decode(tb, resp)
}

func decode(tb testing.TB, resp *http.Response) answer {
	tb.Helper()
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		tb.Fatalf("answer is not JSON: %v", err)
	}
	if a.OK != (resp.StatusCode == 200) || (!a.OK && a.ErrorCode != resp.StatusCode) {
		tb.Fatalf("HTTP %d with ok=%v error_code=%d", resp.StatusCode, a.OK, a.ErrorCode)
	}
	return a
}

var alice = User{ID: 1001, FirstName: "Alice", LanguageCode: "uk"}

func TestSpecChecks(t *testing.T) {
	s := New(t, Options{Limits: NoLimits()})
	s.AddChat(PrivateChat(alice))
	tests := []struct {
		name      string
		call      func() answer
		violation string // "" = accepted
	}{
		{"form", func() answer {
			return postForm(t, s, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"hi"}, "link_preview_options": {`{"is_disabled":true}`}})
		}, ""},
		{"JSON", func() answer {
			return postJSON(t, s, "sendMessage", `{"chat_id":1001,"text":"hi","reply_parameters":{"message_id":1,"allow_sending_without_reply":true}}`)
		}, ""},
		{"JSON object serialized in a string", func() answer {
			return postJSON(t, s, "sendMessage", `{"chat_id":"1001","text":"hi","link_preview_options":"{\"is_disabled\":true}"}`)
		}, ""},
		{"unknown method", func() answer { return postForm(t, s, "sendTelepathy", nil) }, "not in Bot API"},
		{"unknown field", func() answer {
			return postForm(t, s, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"hi"}, "disable_web_page_preview": {"true"}})
		}, `no field "disable_web_page_preview"`},
		{"wrong type", func() answer {
			return postForm(t, s, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"hi"}, "message_thread_id": {"seven"}})
		}, "is not Integer"},
		{"wrong JSON type", func() answer { return postJSON(t, s, "sendMessage", `{"chat_id":1001,"text":5}`) }, "is not String"},
		{"unknown nested field", func() answer {
			return postForm(t, s, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"hi"}, "link_preview_options": {`{"disabled":true}`}})
		}, `LinkPreviewOptions has no field "disabled"`},
		{"missing required", func() answer { return postForm(t, s, "sendMessage", url.Values{"chat_id": {"1001"}}) }, `required field "text"`},
		{"bad HTML", func() answer {
			return postForm(t, s, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"<p>x</p>"}, "parse_mode": {"HTML"}})
		}, "can't parse entities"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.call()
			v := s.TakeViolations()
			if tt.violation == "" {
				if !got.OK || len(v) > 0 {
					t.Fatalf("refused: %s %v", got.Description, v)
				}
				return
			}
			if got.OK || got.ErrorCode != 400 || !strings.HasPrefix(got.Description, "Bad Request: ") {
				t.Errorf("answer = %+v, want 400 Bad Request", got)
			}
			if len(v) != 1 || !strings.Contains(v[0], tt.violation) {
				t.Errorf("violations = %q, want one containing %q", v, tt.violation)
			}
		})
	}
}

func TestWrongToken(t *testing.T) {
	s := New(t, Options{})
	resp, err := http.Get(s.URL() + "/bot1:wrong/getMe")
	if err != nil {
		t.Fatal(err)
	}
	if got := decode(t, resp); got.ErrorCode != 401 || got.Description != "Unauthorized" {
		t.Errorf("answer = %+v, want 401 Unauthorized", got)
	}
}

func TestScriptedChats(t *testing.T) {
	s := New(t, Options{Limits: NoLimits()})
	for _, c := range []Chat{PrivateChat(alice), Group(-10, "g"), Group(-20, "old"), Channel(-1003, "c")} {
		s.AddChat(c)
	}
	s.Block(alice.ID)
	s.Kick(-10)
	s.Migrate(-20, -1002)
	tests := []struct {
		chat        string
		code        int
		description string
		migrateTo   int64
	}{
		{"1001", 403, "Forbidden: bot was blocked by the user", 0},
		{"-10", 403, "Forbidden: bot was kicked from the group chat", 0},
		{"-20", 400, "Bad Request: group chat was upgraded to a supergroup chat", -1002},
		{"-1002", 200, "", 0},
		{"-1003", 200, "", 0},
		{"-99", 400, "Bad Request: chat not found", 0},
	}
	for _, tt := range tests {
		t.Run(tt.chat, func(t *testing.T) {
			got := postForm(t, s, "sendMessage", url.Values{"chat_id": {tt.chat}, "text": {"x"}})
			if tt.code == 200 {
				if !got.OK {
					t.Fatalf("refused: %s", got.Description)
				}
				return
			}
			if got.ErrorCode != tt.code || got.Description != tt.description || got.Parameters.MigrateToChatID != tt.migrateTo {
				t.Errorf("answer = %+v, want %d %q migrate_to %d", got, tt.code, tt.description, tt.migrateTo)
			}
		})
	}
	s.DeleteChat(-1003)
	if got := postForm(t, s, "sendMessage", url.Values{"chat_id": {"-1003"}, "text": {"x"}}); got.ErrorCode != 400 {
		t.Errorf("deleted chat: %+v", got)
	}
}

func TestFloodLimits(t *testing.T) {
	now := time.Date(2025, 12, 16, 6, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := New(t, Options{Now: clock, Limits: Limits{PerChat: 1, PerChatBurst: 3, Global: rate.Inf}})
	s.AddChat(PrivateChat(alice))
	send := func() answer { return postForm(t, s, "sendMessage", url.Values{"chat_id": {"1001"}, "text": {"x"}}) }
	for i := range 3 {
		if got := send(); !got.OK {
			t.Fatalf("message %d of the burst refused: %s", i+1, got.Description)
		}
	}
	got := send()
	if got.ErrorCode != 429 || got.Parameters.RetryAfter != 1 || !strings.HasPrefix(got.Description, "Too Many Requests: retry after 1") {
		t.Fatalf("fourth message: %+v, want 429 retry after 1", got)
	}
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	if got := send(); !got.OK {
		t.Fatalf("after retry_after: %s", got.Description)
	}
	if n := s.RateLimited(); n != 1 {
		t.Errorf("RateLimited = %d, want 1", n)
	}
}

func TestGroupLimit(t *testing.T) {
	s := New(t, Options{Limits: Limits{PerChat: rate.Inf, PerGroup: rate.Limit(20.0 / 60), PerGroupBurst: 20, Global: rate.Inf}})
	s.AddChat(Group(-5, "g"))
	refused := 0
	for range 25 {
		if got := postForm(t, s, "sendMessage", url.Values{"chat_id": {"-5"}, "text": {"x"}}); !got.OK {
			refused++
		}
	}
	if refused != 5 {
		t.Errorf("%d of 25 messages refused, want 5 (20 a minute)", refused)
	}
}

func TestGetUpdates(t *testing.T) {
	s := New(t, Options{})
	chat := PrivateChat(alice)
	first := s.InjectMessage(chat, alice, "/start")
	second := s.InjectMessage(chat, alice, "/latest 3")
	ids := func(a answer) []int64 {
		var us []Update
		json.Unmarshal(a.Result, &us)
		var out []int64
		for _, u := range us {
			out = append(out, u.UpdateID)
		}
		return out
	}
	if got := ids(postForm(t, s, "getUpdates", nil)); len(got) != 2 || got[0] != first || got[1] != second {
		t.Fatalf("updates = %v, want [%d %d]", got, first, second)
	}
	if got := ids(postForm(t, s, "getUpdates", url.Values{"offset": {itoa(second)}})); len(got) != 1 || got[0] != second {
		t.Fatalf("with offset %d: %v", second, got)
	}
	if got := ids(postForm(t, s, "getUpdates", url.Values{"offset": {itoa(second + 1)}})); len(got) != 0 {
		t.Fatalf("confirmed updates came back: %v", got)
	}
	// A long poll returns as soon as an update comes.
	done := make(chan []int64)
	go func() {
		done <- ids(background(s, "getUpdates", url.Values{"offset": {itoa(second + 1)}, "timeout": {"30"}}))
	}()
	waitPolling(t, s)
	third := s.InjectChannelPost(Channel(-1003, "c"), "/latest")
	select {
	case got := <-done:
		if len(got) != 1 || got[0] != third {
			t.Fatalf("long poll = %v, want [%d]", got, third)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("long poll did not return when an update came")
	}
}

func TestGetUpdatesConflict(t *testing.T) {
	s := New(t, Options{})
	done := make(chan answer)
	go func() { done <- background(s, "getUpdates", url.Values{"timeout": {"30"}}) }()
	waitPolling(t, s)
	if got := postForm(t, s, "getUpdates", nil); !got.OK {
		t.Fatalf("the second poll: %+v", got)
	}
	first := <-done
	if first.ErrorCode != 409 || !strings.Contains(first.Description, "terminated by other getUpdates request") {
		t.Errorf("the first poll got %+v, want 409", first)
	}
	if got := postForm(t, s, "setWebhook", url.Values{"url": {"https://example.org/hook"}}); !got.OK {
		t.Fatal(got.Description)
	}
	if got := postForm(t, s, "getUpdates", nil); got.ErrorCode != 409 || !strings.Contains(got.Description, "webhook is active") {
		t.Errorf("with a webhook: %+v, want 409", got)
	}
}

func TestWebhookDelivery(t *testing.T) {
	s := New(t, Options{})
	var mu sync.Mutex
	var got []Update
	var secrets []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u Update
		json.NewDecoder(r.Body).Decode(&u)
		mu.Lock()
		got, secrets = append(got, u), append(secrets, r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		mu.Unlock()
	}))
	defer hook.Close()
	if a := postForm(t, s, "setWebhook", url.Values{"url": {hook.URL}, "secret_token": {"s3cret_-"}}); !a.OK {
		t.Fatal(a.Description)
	}
	id := s.InjectMessage(Group(-7, "g"), alice, "/subscribe@sitrep_test_bot 8:00 kyiv")
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].UpdateID != id || got[0].Message.Text != "/subscribe@sitrep_test_bot 8:00 kyiv" || secrets[0] != "s3cret_-" {
		t.Fatalf("webhook got %+v with secrets %q", got, secrets)
	}
	if e := got[0].Message.Entities; len(e) != 1 || e[0].Type != "bot_command" || e[0].Length != len("/subscribe@sitrep_test_bot") {
		t.Errorf("entities = %+v, want the bot_command", e)
	}
	if d := s.WebhookDeliveries(); len(d) != 1 || d[0].Status != 200 {
		t.Errorf("deliveries = %+v", d)
	}
	if a := postForm(t, s, "setWebhook", url.Values{"url": {hook.URL}, "secret_token": {"no spaces"}}); a.OK {
		t.Error("a secret token with a space was accepted")
	}
	if v := s.TakeViolations(); len(v) != 1 {
		t.Errorf("violations = %q, want the bad secret token", v)
	}
}

func TestEditMessageText(t *testing.T) {
	s := New(t, Options{Limits: NoLimits()})
	s.AddChat(Channel(-1003, "c"))
	sent := postForm(t, s, "sendMessage", url.Values{"chat_id": {"-1003"}, "text": {"v1"}})
	var m struct {
		MessageID int `json:"message_id"`
	}
	json.Unmarshal(sent.Result, &m)
	edit := func(text string) answer {
		return postJSON(t, s, "editMessageText", `{"chat_id":-1003,"message_id":`+itoa(int64(m.MessageID))+`,"text":"`+text+`"}`)
	}
	if got := edit("v2"); !got.OK {
		t.Fatal(got.Description)
	}
	if got := edit("v2"); got.ErrorCode != 400 || !strings.Contains(got.Description, "message is not modified") {
		t.Errorf("same text: %+v", got)
	}
	if got := postJSON(t, s, "editMessageText", `{"chat_id":-1003,"message_id":999,"text":"x"}`); !strings.Contains(got.Description, "message to edit not found") {
		t.Errorf("unknown message: %+v", got)
	}
	if msgs := s.Messages(-1003); len(msgs) != 2 || msgs[1].Method != "editMessageText" || msgs[1].Parsed.Text != "v2" {
		t.Errorf("recorded %+v", msgs)
	}
}

func TestFailures(t *testing.T) {
	s := New(t, Options{})
	s.Fail("getMe", Failure{Status: 502}, Failure{Drop: true})
	if got := postForm(t, s, "getMe", nil); got.ErrorCode != 502 {
		t.Errorf("first call: %+v, want 502", got)
	}
	if _, err := http.PostForm(s.URL()+"/bot"+s.Token()+"/getMe", nil); err == nil {
		t.Error("second call was answered, want a dropped connection")
	}
	if got := postForm(t, s, "getMe", nil); !got.OK {
		t.Errorf("third call: %+v", got)
	}
}

func TestGetChatMember(t *testing.T) {
	s := New(t, Options{})
	bob := User{ID: 2002, FirstName: "Bob"}
	s.InjectMessage(Group(-7, "g"), bob, "hello")
	s.SetMember(-7, alice, StatusCreator)
	tests := []struct {
		user, status string
	}{{"1001", "creator"}, {"2002", "member"}}
	for _, tt := range tests {
		got := postForm(t, s, "getChatMember", url.Values{"chat_id": {"-7"}, "user_id": {tt.user}})
		var m struct{ Status string }
		json.Unmarshal(got.Result, &m)
		if m.Status != tt.status {
			t.Errorf("user %s: status %q, want %q", tt.user, m.Status, tt.status)
		}
	}
	if got := postForm(t, s, "getChatMember", url.Values{"chat_id": {"-7"}, "user_id": {"3003"}}); got.ErrorCode != 400 {
		t.Errorf("unknown user: %+v", got)
	}
}

func TestMultipart(t *testing.T) {
	s := New(t, Options{Limits: NoLimits()})
	s.AddChat(PrivateChat(alice))
	var body bytes.Buffer
	body.WriteString("--b\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n1001\r\n--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhi\r\n--b--\r\n")
	resp, err := http.Post(s.URL()+"/bot"+s.Token()+"/sendMessage", "multipart/form-data; boundary=b", &body)
	if err != nil {
		t.Fatal(err)
	}
	if got := decode(t, resp); !got.OK {
		t.Fatal(got.Description)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// waitPolling waits until a getUpdates call is waiting.
func waitPolling(tb testing.TB, s *Server) {
	tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.updates.mu.Lock()
		polling := s.updates.poll != nil
		s.updates.mu.Unlock()
		if polling {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatal("no getUpdates call started waiting")
		}
		time.Sleep(time.Millisecond)
	}
}

// background calls a method from a goroutine other than the test's: a
// failure is an answer with ok=false.
func background(s *Server, method string, values url.Values) answer {
	resp, err := http.PostForm(s.URL()+"/bot"+s.Token()+"/"+method, values)
	if err != nil {
		return answer{Description: err.Error()}
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return answer{Description: err.Error()}
	}
	return a
}
