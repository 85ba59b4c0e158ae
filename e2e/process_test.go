package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// build holds the sitrep binary, built once for every test of the package.
var build struct {
	once sync.Once
	dir  string
	bin  string
	err  error
	out  []byte
}

func TestMain(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

// sitrepBinary returns the path of the sitrep binary, building it on first
// use. Under -short the test is skipped: the scenarios here take a while.
func sitrepBinary(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("end-to-end: skipped with -short")
	}
	build.once.Do(func() {
		if build.dir, build.err = os.MkdirTemp("", "sitrep-e2e-"); build.err != nil {
			return
		}
		build.bin = filepath.Join(build.dir, "sitrep")
		build.out, build.err = exec.Command("go", "build", "-o", build.bin, "../cmd/sitrep").CombinedOutput()
	})
	if build.err != nil {
		tb.Fatalf("go build: %v\n%s", build.err, build.out)
	}
	return build.bin
}

// syncBuffer is a bytes.Buffer that a process and a test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// proc is one sitrep process: what it printed, and how it ended.
type proc struct {
	name           string
	cmd            *exec.Cmd
	stdout, stderr syncBuffer
	done           chan struct{} // closed when the process has exited
	err            error         // its exit, once done is closed
}

// sitrepCommand is the sitrep binary with args and exactly the SITREP_*
// variables of env, killed when ctx ends.
func sitrepCommand(ctx context.Context, tb testing.TB, env map[string]string, args ...string) *exec.Cmd {
	tb.Helper()
	cmd := exec.CommandContext(ctx, sitrepBinary(tb), args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TZ=UTC"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

// startSitrep starts the sitrep binary with args and exactly the SITREP_*
// variables of env (nothing of the test's own environment, so a variable
// set where the tests run cannot change the scenario). It is killed, if it
// still runs, when the test ends; when the test failed, its log's tail is
// shown.
func startSitrep(tb testing.TB, name string, env map[string]string, args ...string) *proc {
	tb.Helper()
	p := &proc{name: name, done: make(chan struct{})}
	p.cmd = sitrepCommand(context.Background(), tb, env, args...)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	tb.Cleanup(func() {
		if p.running() {
			p.cmd.Process.Kill()
			<-p.done
		}
		if tb.Failed() {
			tb.Logf("%s (pid %d) log, last lines:\n%s", name, p.cmd.Process.Pid, tail(p.stderr.String(), 40))
		}
	})
	return p
}

// pid is the process id.
func (p *proc) pid() int { return p.cmd.Process.Pid }

func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// logs is everything the process wrote, stdout then stderr.
func (p *proc) logs() string { return p.stdout.String() + p.stderr.String() }

var listeningRE = regexp.MustCompile(`http server listening"?[ ,]"?addr"?[=:]"?([^" \n}]+)`)

// httpAddr waits for the process to log the address its HTTP server listens on.
func (p *proc) httpAddr(tb testing.TB) string {
	tb.Helper()
	var addr string
	eventually(tb, p.name+" listens", 30*time.Second, func() bool {
		if !p.running() {
			tb.Fatalf("%s exited: %v\n%s", p.name, p.err, tail(p.stderr.String(), 40))
		}
		if m := listeningRE.FindStringSubmatch(p.stderr.String()); m != nil {
			addr = m[1]
		}
		return addr != ""
	})
	return addr
}

// stopTimeout bounds how long a process may take to stop after SIGTERM
// before a test fails.
const stopTimeout = 10 * time.Second

// term sends SIGTERM and waits for the exit; it returns how long that took.
// A process still running after stopTimeout (twice that, to tell a slow stop
// from a hang) is killed and the test fails.
func (p *proc) term(tb testing.TB) time.Duration {
	tb.Helper()
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		tb.Fatalf("%s: SIGTERM: %v", p.name, err)
	}
	select {
	case <-p.done:
	case <-time.After(2 * stopTimeout):
		p.cmd.Process.Kill()
		<-p.done
		tb.Fatalf("%s still ran %s after SIGTERM; killed", p.name, 2*stopTimeout)
	}
	took := time.Since(start)
	if p.err != nil {
		tb.Errorf("%s: exit after SIGTERM: %v\n%s", p.name, p.err, tail(p.stderr.String(), 20))
	}
	return took
}

// kill sends SIGKILL and waits for the exit.
func (p *proc) kill(tb testing.TB) {
	tb.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		tb.Fatalf("%s: SIGKILL: %v", p.name, err)
	}
	<-p.done
}

// runSitrep runs a sitrep command to its end and returns its stdout; the
// test fails when it exits non-zero.
func runSitrep(tb testing.TB, env map[string]string, args ...string) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := sitrepCommand(ctx, tb, env, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("sitrep %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// eventually polls cond every 20ms until it holds, or fails the test after timeout.
func eventually(tb testing.TB, what string, timeout time.Duration, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("%s: not within %s", what, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
