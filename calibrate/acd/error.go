package acd

import "fmt"

// Error is a problem in a data file, at a line and (where one is to blame) a
// column, named by its header.
type Error struct {
	File   string
	Line   int    // 1-based; 0 when the problem is the file as a whole
	Column string // header name, or "" when no single column is to blame
	Msg    string
}

func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Column == "":
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: column %s: %s", e.File, e.Line, e.Column, e.Msg)
}
