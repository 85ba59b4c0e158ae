package config

import (
	"strings"
	"testing"
	"time"
)

func TestDeliveryKeys(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want []string // substrings of the error; none = valid
	}{
		{"defaults", nil, nil},
		{"sentinel and cluster URLs", map[string]string{"SITREP_REDIS_URL": "redis+sentinel://:pw@s1:26379/0?master_name=main&addr=s2:26379"}, nil},
		{"cluster URL", map[string]string{"SITREP_REDIS_URL": "rediss+cluster://n1:6379?addr=n2:6379"}, nil},
		{"bad scheme", map[string]string{"SITREP_REDIS_URL": "memcached://x:1"}, []string{"redis_url (SITREP_REDIS_URL)", "redis+sentinel"}},
		{"bench limits", map[string]string{"SITREP_LIMITS_TELEGRAM_GLOBAL": "990/1s/10"}, nil},
		{"bad limits", map[string]string{"SITREP_LIMITS_TELEGRAM_GLOBAL": "fast", "SITREP_LIMITS_DISCORD_CHANNEL": "5/0s"},
			[]string{"limits.telegram_global (SITREP_LIMITS_TELEGRAM_GLOBAL)", "limits.discord_channel (SITREP_LIMITS_DISCORD_CHANNEL)"}},
		{"bad alerts", map[string]string{"SITREP_ALERTS_QUIET_HOURS": "night", "SITREP_ALERTS_PRIORITY_TERMS": "nuclear, (oops", "SITREP_ALERTS_MIN_OUTLETS": "0"},
			[]string{"alerts.quiet_hours", "alerts.priority_terms", "(oops", "alerts.min_outlets"}},
		{"bad delivery", map[string]string{"SITREP_DELIVERY_WORKERS": "0", "SITREP_DELIVERY_LEADER_LEASE": "1s", "SITREP_DELIVERY_BACKOFF_MAX": "1s"},
			[]string{"delivery.workers (SITREP_DELIVERY_WORKERS): must be between 1 and 1000", "delivery.leader_lease", "delivery.backoff_max"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load("", envOf(c.env))
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("Load = %v, want valid", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Load succeeded, want errors")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	cases := []struct {
		in   string
		want Rate
		ok   bool
	}{
		{"30/1s", Rate{30, time.Second, 1}, true},
		{"20/1m", Rate{20, time.Minute, 1}, true},
		{"990/1s/10", Rate{990, time.Second, 10}, true},
		{"5/5s", Rate{5, 5 * time.Second, 1}, true},
		{"0/1s", Rate{}, false},
		{"30", Rate{}, false},
		{"30/1s/0", Rate{}, false},
	}
	for _, c := range cases {
		got, err := ParseRate(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseRate(%q) = %+v, %v; want %+v, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestQuietHours(t *testing.T) {
	from, to, err := QuietHours("23:00-07:00")
	if err != nil || from != "23:00" || to != "07:00" {
		t.Errorf("QuietHours = %q, %q, %v", from, to, err)
	}
}
