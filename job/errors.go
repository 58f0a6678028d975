package job

import "fmt"

// InvalidError reports a job that cannot run as given (a mistake in what
// was asked, such as an unknown strategy or a malformed --vary), as opposed
// to a failure while running it. A command line reports it as a usage
// error.
type InvalidError struct{ Msg string }

func (e *InvalidError) Error() string { return e.Msg }

func invalidf(format string, args ...any) error {
	return &InvalidError{fmt.Sprintf(format, args...)}
}
