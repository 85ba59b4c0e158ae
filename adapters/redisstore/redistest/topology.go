package redistest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The other shapes of Redis that users run sitrep on, each made of
// redis-server processes of the test's own (no persistence), stopped when
// the test ends. Without redis-server on the PATH the test is skipped, or
// fails when CI is set.

// StartCluster starts a Redis Cluster of masters nodes (no replicas) with
// every slot assigned, and returns the nodes' addresses.
func StartCluster(tb testing.TB, masters int) []string {
	tb.Helper()
	var addrs []string
	for range masters {
		dir := tb.TempDir()
		addrs = append(addrs, startServer(tb, dir, "", "--cluster-enabled", "yes", "--cluster-port", strconv.Itoa(FreePort(tb)),
			"--cluster-config-file", filepath.Join(dir, "nodes.conf"), "--cluster-node-timeout", "5000"))
	}
	args := append(append([]string{"--cluster", "create"}, addrs...), "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command("redis-cli", args...).CombinedOutput(); err != nil {
		tb.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	defer c.Close()
	waitFor(tb, "the cluster to be ok", func(ctx context.Context) bool {
		for _, a := range addrs {
			n := redis.NewClient(&redis.Options{Addr: a})
			info, err := n.ClusterInfo(ctx).Result()
			n.Close()
			if err != nil || !strings.Contains(info, "cluster_state:ok") {
				return false
			}
		}
		return c.Set(ctx, "redistest:probe", "1", time.Second).Err() == nil
	})
	return addrs
}

// StartSentinel starts a Redis master and one Sentinel that monitors it
// under the name master, and returns the Sentinel's address.
func StartSentinel(tb testing.TB, master string) string {
	tb.Helper()
	primary := startServer(tb, tb.TempDir(), "")
	host, port, _ := net.SplitHostPort(primary)
	dir := tb.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	if err := os.WriteFile(conf, []byte(fmt.Sprintf("sentinel monitor %s %s %s 1\nsentinel down-after-milliseconds %s 5000\n",
		master, host, port, master)), 0o600); err != nil {
		tb.Fatal(err)
	}
	addr := startServer(tb, dir, conf, "--sentinel")
	s := redis.NewSentinelClient(&redis.Options{Addr: addr})
	defer s.Close()
	waitFor(tb, "the sentinel to know the master", func(ctx context.Context) bool {
		a, err := s.GetMasterAddrByName(ctx, master).Result()
		return err == nil && len(a) == 2 && a[1] == port
	})
	return addr
}

// startServer runs redis-server in dir, with the configuration file conf
// (none when "") and args, and waits until it answers; it returns its
// address.
func startServer(tb testing.TB, dir, conf string, args ...string) string {
	tb.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal("redis-server is not on the PATH and CI is set")
		}
		tb.Skip("SKIP: redis-server is not on the PATH")
	}
	port := FreePort(tb)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	var all []string
	if conf != "" {
		all = append(all, conf) // the file comes first
	}
	all = append(all, args...)
	all = append(all, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir, "--logfile", filepath.Join(dir, "redis.log"))
	if conf == "" {
		all = append(all, "--save", "", "--appendonly", "no")
	}
	cmd := exec.Command("redis-server", all...)
	if err := cmd.Start(); err != nil {
		tb.Fatalf("redis-server: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	tb.Cleanup(func() { cmd.Process.Kill(); <-done })
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	waitFor(tb, "redis-server at "+addr+" to answer", func(ctx context.Context) bool { return c.Ping(ctx).Err() == nil })
	return addr
}

// waitFor polls ok until it holds, failing the test after 20s.
func waitFor(tb testing.TB, what string, ok func(ctx context.Context) bool) {
	tb.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		done := ok(ctx)
		cancel()
		if done {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("redistest: timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// FreePort returns a TCP port of 127.0.0.1 that nothing listens on at the
// moment. It is drawn from 20000-31999, below the ephemeral ports (32768 and
// up on Linux, 49152 and up elsewhere) that outgoing connections are given,
// so that none of those takes it before the caller listens on it.
func FreePort(tb testing.TB) int {
	tb.Helper()
	for range 200 {
		port := 20000 + rand.IntN(12000)
		ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err == nil {
			ln.Close()
			return port
		}
	}
	tb.Fatal("redistest: no free port in 20000-31999")
	return 0
}
