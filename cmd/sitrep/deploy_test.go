package main

import (
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// No Docker engine runs the tests, so the compose file and the Dockerfile are
// checked by reading them.

func TestComposeFile(t *testing.T) {
	data, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]struct {
			Image       string            `yaml:"image"`
			Build       any               `yaml:"build"`
			Command     []string          `yaml:"command"`
			Volumes     []string          `yaml:"volumes"`
			Environment map[string]string `yaml:"environment"`
			DependsOn   map[string]any    `yaml:"depends_on"`
			Healthcheck *struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	redis, sitrep := c.Services["redis"], c.Services["sitrep"]
	if !strings.HasPrefix(redis.Image, "redis:7") {
		t.Errorf("redis image = %q, want redis:7", redis.Image)
	}
	if !strings.Contains(strings.Join(redis.Command, " "), "--appendonly yes") {
		t.Errorf("redis command %q does not turn on AOF", redis.Command)
	}
	if len(redis.Volumes) == 0 {
		t.Error("redis has no volume")
	} else if _, ok := c.Volumes[strings.Split(redis.Volumes[0], ":")[0]]; !ok {
		t.Errorf("redis volume %q is not a named volume", redis.Volumes[0])
	}
	if sitrep.Build == nil {
		t.Error("sitrep is not built from the Dockerfile")
	}
	if _, ok := sitrep.DependsOn["redis"]; !ok {
		t.Error("sitrep does not depend on redis")
	}
	if got := sitrep.Environment["SITREP_REDIS_URL"]; got != "redis://redis:6379/0" {
		t.Errorf("SITREP_REDIS_URL = %q", got)
	}
	checkHealthcheck(t, sitrep.Healthcheck)
}

// checkHealthcheck: the sitrep service's health check runs the binary
// itself (exec form: the distroless image has no shell), as a subcommand
// that exists.
func checkHealthcheck(t *testing.T, hc *struct {
	Test []string `yaml:"test"`
}) {
	t.Helper()
	if hc == nil || len(hc.Test) < 3 {
		t.Fatal("sitrep has no healthcheck")
	}
	if hc.Test[0] != "CMD" {
		t.Errorf("healthcheck %q: want the exec form CMD (no shell in the image)", hc.Test)
	}
	if hc.Test[1] != "/usr/local/bin/sitrep" {
		t.Errorf("healthcheck runs %q, want the image's /usr/local/bin/sitrep", hc.Test[1])
	}
	found := false
	for _, c := range commands() {
		found = found || c.name == hc.Test[2]
	}
	if !found || hc.Test[2] != "healthcheck" {
		t.Errorf("healthcheck runs subcommand %q, want healthcheck", hc.Test[2])
	}
}

func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(data)
	if n := strings.Count(df, "\nFROM "); n < 2 {
		t.Errorf("%d FROM lines, want a multi-stage build", n)
	}
	for _, want := range []string{"CGO_ENABLED=0", "USER 65532", "./cmd/sitrep"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
}
