package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"
)

const healthcheckUsage = `Usage: sitrep healthcheck [--config FILE] [--url URL]

Asks the running sitrep whether it is alive: GET /healthz on http.listen (a
wildcard host such as 0.0.0.0 is asked on 127.0.0.1). Exits 0 when the
answer is 200 OK within 3 seconds, else 1. Made for container health checks:
the image has no shell and no curl.

Examples:
  sitrep healthcheck
  SITREP_HTTP_LISTEN=0.0.0.0:8080 sitrep healthcheck
  sitrep healthcheck --url http://127.0.0.1:8080/readyz
`

// healthcheckTimeout bounds the whole request.
const healthcheckTimeout = 3 * time.Second

func cmdHealthcheck(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	configPath := fs.String("config", "", "configuration file (YAML); default $SITREP_CONFIG")
	target := fs.String("url", "", "URL to ask instead of /healthz on http.listen")
	if err := parseFlags(fs, args, healthcheckUsage, e); err != nil {
		return err
	}
	u := *target
	if u == "" {
		cfg, err := loadConfig(e, *configPath)
		if err != nil {
			return err
		}
		if cfg.HTTP.Listen == "" {
			return &exitError{code: 1, err: fmt.Errorf("http.listen is empty: the HTTP server is off, nothing to ask")}
		}
		u = healthURL(cfg.HTTP.Listen)
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("healthcheck: %w", err)}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("healthcheck: %w", err)}
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &exitError{code: 1, err: fmt.Errorf("healthcheck: %s answered %s", u, resp.Status)}
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}

// healthURL is /healthz on the listen address, asked on loopback when the
// server listens on every interface.
func healthURL(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen + "/healthz"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz"
}
