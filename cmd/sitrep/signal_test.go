package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildSitrep builds the sitrep binary into a temporary directory.
func buildSitrep(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "sitrep")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestRunStopsOnSIGTERM runs the real binary with no configuration and no
// network: it starts on the embedded store, logs every unreachable default
// source with its reason, keeps running, and exits 0 within 5s of SIGTERM
// with the store closed (a second process can open it at once).
func TestRunStopsOnSIGTERM(t *testing.T) {
	bin := buildSitrep(t)
	dir := t.TempDir()
	var stderr syncBuffer
	cmd := exec.Command(bin, "run")
	cmd.Env = append(os.Environ(), "SITREP_DATA_DIR="+dir, "SITREP_HTTP_LISTEN=127.0.0.1:0", "SITREP_CONFIG=")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	deadline := time.Now().Add(60 * time.Second)
	for strings.Count(stderr.String(), "feed failed") < 16 {
		select {
		case err := <-exited:
			t.Fatalf("sitrep run exited early: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("not every default source was reported within 60s:\n%s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	select {
	case err := <-exited:
		t.Fatalf("sitrep run exited after its first poll: %v", err)
	case <-time.After(500 * time.Millisecond): // still running
	}
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
		t.Logf("stopped %s after SIGTERM", time.Since(start).Round(time.Millisecond))
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		t.Fatal("sitrep run did not stop within 5s of SIGTERM")
	}
	check := exec.Command(bin, "check")
	check.Env = append(os.Environ(), "SITREP_DATA_DIR="+dir)
	out, err := check.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "OK   embedded store") {
		t.Errorf("store not reusable after shutdown: %v\n%s", err, out)
	}
}
