// Command sitrep collects war news from many outlets, groups the articles that
// report the same development, and posts short digests to Telegram and Discord.
//
// Run `sitrep help` for the subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones in a static binary without the system database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "sitrep:", err)
		}
		os.Exit(exitCode(err))
	}
}

// env is what a subcommand may use of the process: it is passed in so tests
// can run subcommands without touching the real environment.
type env struct {
	getenv     func(string) string
	stdout     io.Writer
	stderr     io.Writer
	isTerminal func(io.Writer) bool // nil: never a terminal
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"run", "run the bot: poll sources, build digests, deliver them", cmdRun},
		{"digest", "collect once and print a digest", cmdDigest},
		{"check", "validate the configuration and reach each configured service", cmdCheck},
		{"register", "publish the Telegram command menu and webhook and the Discord slash commands", cmdRegister},
		{"eval", "measure the engine against a labeled corpus", cmdEval},
		{"status", "show leader, outbox, dead letters, failing feeds and subscriptions", cmdStatus},
		{"healthcheck", "ask the running sitrep's HTTP server whether it is alive (exit 0 or 1)", cmdHealthcheck},
	}
}

// run is sitrep's main, callable from tests.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdout: stdout, stderr: stderr, isTerminal: isTerminal}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if err := c.run(ctx, e, args[1:]); !errors.Is(err, errHelp) {
				return err
			}
			return nil
		}
	}
	usage(stderr)
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: sitrep <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'sitrep <command> --help' for a command's flags and examples.")
}
