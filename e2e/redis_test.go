package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sitrepbot/sitrep/adapters/redisstore/redistest"
)

// redisOptions shape a Redis server of a test's own.
type redisOptions struct {
	// AOF keeps the data in an append-only file fsynced every second, as
	// docker-compose.yml runs Redis, so that a restart finds the data again.
	// A restart here is Redis's own shutdown (SIGTERM), which writes and
	// fsyncs the file completely; only a crash of Redis (not tested) could
	// lose the last second of writes. Without AOF a restart loses everything.
	AOF      bool
	Password string // requirepass; "" = none
}

// redisServer is a redis-server of the test's own on a free port, which the
// test may stop and start again; it is killed when the test ends. The
// shared Redis of the other tests is never touched.
type redisServer struct {
	opts redisOptions
	port int
	dir  string
	cmd  *exec.Cmd
	done chan struct{}
}

// startRedis starts redis-server. Without redis-server on the PATH the test
// is skipped, or fails when CI is set.
func startRedis(tb testing.TB, opts redisOptions) *redisServer {
	tb.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal("redis-server is not on the PATH and CI is set")
		}
		tb.Skip("SKIP: redis-server is not on the PATH")
	}
	r := &redisServer{opts: opts, port: freePort(tb), dir: tb.TempDir()}
	r.start(tb)
	tb.Cleanup(func() {
		if r.cmd != nil {
			r.cmd.Process.Kill()
			<-r.done
		}
	})
	return r
}

// freePort returns a TCP port nothing listens on at the moment, that no
// outgoing connection will be given meanwhile.
func freePort(tb testing.TB) int { return redistest.FreePort(tb) }

// start runs redis-server and waits until it answers.
func (r *redisServer) start(tb testing.TB) {
	tb.Helper()
	args := []string{"--port", strconv.Itoa(r.port), "--bind", "127.0.0.1", "--save", "", "--dir", r.dir,
		"--logfile", filepath.Join(r.dir, "redis.log"), "--appendonly", "no"}
	if r.opts.AOF {
		args = append(args, "--appendonly", "yes", "--appendfsync", "everysec")
	}
	if r.opts.Password != "" {
		args = append(args, "--requirepass", r.opts.Password)
	}
	r.cmd = exec.Command("redis-server", args...)
	if err := r.cmd.Start(); err != nil {
		tb.Fatalf("redis-server: %v", err)
	}
	r.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { cmd.Wait(); close(done) }(r.cmd, r.done)
	c := r.client()
	defer c.Close()
	eventually(tb, "redis-server answers", 10*time.Second, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return c.Ping(ctx).Err() == nil
	})
}

// stop shuts Redis down with SIGTERM, as a service manager does: it
// fsyncs its append-only file and exits.
func (r *redisServer) stop(tb testing.TB) {
	tb.Helper()
	r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		tb.Fatal("redis-server did not stop within 10s")
	}
	r.cmd = nil
}

// restart stops Redis and starts it again on the same port and files, and
// returns how long it was away.
func (r *redisServer) restart(tb testing.TB) time.Duration {
	tb.Helper()
	start := time.Now()
	r.stop(tb)
	r.start(tb)
	return time.Since(start)
}

// URL is the server's URL as sitrep's redis_url takes it.
func (r *redisServer) URL() string {
	if r.opts.Password != "" {
		return fmt.Sprintf("redis://:%s@127.0.0.1:%d/0", r.opts.Password, r.port)
	}
	return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port)
}

// Addr is host:port.
func (r *redisServer) Addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

// client returns a client of the server; the caller closes it.
func (r *redisServer) client() *redis.Client {
	return redis.NewClient(&redis.Options{Addr: r.Addr(), Password: r.opts.Password})
}
