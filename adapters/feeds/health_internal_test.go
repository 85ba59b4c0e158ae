package feeds

import "testing"

func TestRedactURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://news.example/rss", "https://news.example/rss"},
		{"https://user:hunter2@news.example/rss", "https://user:xxxxx@news.example/rss"},
		{"https://news.example/rss?apikey=s3cret&lang=en", "https://news.example/rss?apikey=xxxxx&lang=en"},
		{"https://news.example/rss?access_token=s3cret", "https://news.example/rss?access_token=xxxxx"},
		{"/srv/feeds/local.xml", "/srv/feeds/local.xml"},
		{"https://u:p@news.example/%zz", "(unparseable URL)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := redactURL(tt.in); got != tt.want {
				t.Errorf("redactURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
