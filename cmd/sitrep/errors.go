package main

import (
	"errors"
	"flag"
)

// errUsage marks a command line that could not be understood; its message has
// already been printed with the usage text.
var errUsage = errors.New("usage")

// errHelp ends a command that printed its help: exit status 0.
var errHelp = errors.New("help shown")

// exitError carries a specific exit status.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitCode maps an error from run to the process exit status: 2 for usage and
// configuration errors, the code an exitError carries, else 1.
func exitCode(err error) int {
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return 2
	}
	return 1
}
