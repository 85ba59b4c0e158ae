package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sitrepbot/sitrep/bot"
	"github.com/sitrepbot/sitrep/config"
)

// The embedded store admits one process at a time. While `sitrep run` holds
// it, `sitrep status` asks that process instead, through a Unix socket beside
// the store file: only those who may enter data_dir can open it, and nothing
// is exposed on the network.

// maxSocketPath is the longest Unix socket path every platform accepts
// (sun_path is 104 bytes on the BSDs and macOS, 108 on Linux).
const maxSocketPath = 103

func statusSocketPath(cfg config.Config) string { return filepath.Join(cfg.DataDir, "sitrep.sock") }

// serveStatus answers GET /status on the status socket with the Status read
// from store, until stop. A socket that cannot be made costs only that
// answer: it is logged and sitrep runs on.
func serveStatus(cfg config.Config, store bot.Store, log *slog.Logger) (stop func()) {
	path := statusSocketPath(cfg)
	if len(path) > maxSocketPath {
		log.Warn("status socket off: data_dir path too long for a Unix socket; sitrep status works while sitrep is stopped",
			"path", path)
		return func() {}
	}
	// A socket left by a process that was killed: this process holds the
	// store, so no other sitrep serves this data_dir.
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		log.Warn("status socket off", "path", path, "error", err)
		return func() {}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		log.Warn("status socket off", "path", path, "error", err)
		return func() {}
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		log.Warn("status socket off", "path", path, "error", err)
		return func() {}
	}
	opts := bot.StatusOptions{Sources: sourceInfo(cfg.Sources)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
		st, err := bot.ReadStatus(r.Context(), store, opts)
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(st)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: statusTimeout}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("status socket", "error", err)
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(ctx) // also removes the socket file
		<-done
	}
}

// askRunningStatus reads the Status from the `sitrep run` that holds the
// embedded store, through its status socket.
func askRunningStatus(ctx context.Context, cfg config.Config) (bot.Status, error) {
	path := statusSocketPath(cfg)
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", path)
		},
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://sitrep/status", nil)
	if err != nil {
		return bot.Status{}, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return bot.Status{}, fmt.Errorf("status socket %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return bot.Status{}, fmt.Errorf("the running sitrep: %s", strings.TrimSpace(string(msg)))
	}
	var st bot.Status
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return bot.Status{}, fmt.Errorf("status socket %s: %w", path, err)
	}
	return st, nil
}
