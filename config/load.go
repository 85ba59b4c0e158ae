package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Load returns the configuration: Default, then the YAML file at path (or at
// SITREP_CONFIG when path is empty; no file is fine), then every SITREP_*
// variable getenv returns non-empty. It validates the result and reports every
// problem at once, each naming its YAML key and environment variable.
func Load(path string, getenv func(string) string) (Config, error) {
	cfg := Default()
	if path == "" {
		path = getenv("SITREP_CONFIG")
	}
	if path != "" {
		if err := loadFile(&cfg, path); err != nil {
			return cfg, err
		}
	}
	errs := applyEnv(&cfg, getenv)
	errs = append(errs, cfg.validate()...)
	return cfg, errors.Join(errs...)
}

func loadFile(cfg *Config, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config: %s: %w", path, err)
	}
	return nil
}

// Key describes one configuration key, for documentation and error messages.
type Key struct {
	Path    string // YAML path, e.g. "digest.max_items"
	Env     string // environment variable, "" if the environment cannot set it
	Default string // the default, as it would be written in YAML
	Doc     string
	Secret  bool
}

// Keys lists every configuration key the environment can set, in the order
// of the Config struct.
func Keys() []Key {
	var keys []Key
	def := reflect.ValueOf(Default())
	walk(def, "", func(f reflect.StructField, v reflect.Value, path string) {
		keys = append(keys, Key{Path: path, Env: f.Tag.Get("env"), Default: format(v), Doc: f.Tag.Get("doc"),
			Secret: v.Type() == reflect.TypeFor[Secret]()})
	})
	return keys
}

// walk calls fn for every leaf field of v that has an env tag.
func walk(v reflect.Value, prefix string, fn func(reflect.StructField, reflect.Value, string)) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		path := strings.TrimPrefix(prefix+"."+name, ".")
		switch {
		case f.Tag.Get("env") != "":
			fn(f, v.Field(i), path)
		case f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Duration]():
			walk(v.Field(i), path, fn)
		}
	}
}

func applyEnv(cfg *Config, getenv func(string) string) []error {
	var errs []error
	walk(reflect.ValueOf(cfg).Elem(), "", func(f reflect.StructField, v reflect.Value, path string) {
		name := f.Tag.Get("env")
		s := getenv(name)
		if s == "" {
			return
		}
		if err := set(v, s); err != nil {
			errs = append(errs, fieldError(path, name, err.Error()))
		}
	})
	return errs
}

func set(v reflect.Value, s string) error {
	if v.Type() == reflect.TypeFor[time.Duration]() {
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("not a duration (e.g. 5m): %q", s)
		}
		v.SetInt(int64(d))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Int:
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("not a whole number: %q", s)
		}
		v.SetInt(int64(n))
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("not true or false: %q", s)
		}
		v.SetBool(b)
	default:
		return fmt.Errorf("cannot be set from the environment")
	}
	return nil
}

func format(v reflect.Value) string {
	if v.Type() == reflect.TypeFor[time.Duration]() {
		return shortDuration(time.Duration(v.Int()))
	}
	if v.Kind() == reflect.String {
		return v.String()
	}
	return fmt.Sprint(v.Interface())
}

// shortDuration prints 5m rather than 5m0s, and 30s as it is.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// fieldError is one validation problem, naming the key both ways.
func fieldError(path, env, msg string) error {
	if env == "" {
		return fmt.Errorf("%s: %s", path, msg)
	}
	return fmt.Errorf("%s (%s): %s", path, env, msg)
}

// String prints the configuration as YAML with every secret redacted.
func (c Config) String() string {
	out, err := yaml.Marshal(c)
	if err != nil {
		return fmt.Sprintf("config: %v", err)
	}
	return string(out)
}
