// Package inputfile reads the files a user names on the command line
// (scenarios, result files, data), refusing what is not a regular file and
// what is larger than a limit, before reading it whole.
//
// Opening a named pipe blocks until something writes to it (a command
// would hang, deaf to Ctrl-C), and a device such as /dev/zero never ends,
// so the type is checked before opening and again on what was opened.
package inputfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrDirectory is the error, wrapped with the path, for a directory.
var ErrDirectory = errors.New("is a directory, not a file")

// Read returns the contents of the regular file path, of at most limit
// bytes; what names the kind of file in errors ("a scenario").
func Read(path, what string, limit int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regular(path, what, st); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regular(path, what, st); err != nil {
		return nil, err // replaced between the two looks
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: file is %d bytes, more than the limit of %d", path, st.Size(), limit)
	}
	// Read at most one byte past the limit: the file may grow meanwhile.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: file is more than the limit of %d bytes", path, limit)
	}
	return data, nil
}

// regular returns an error naming path and what it is unless it is a
// regular file.
func regular(path, what string, st fs.FileInfo) error {
	m := st.Mode()
	var is string
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return fmt.Errorf("%s: %w", path, ErrDirectory)
	case m&fs.ModeNamedPipe != 0:
		is = "is a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		is = "is a socket"
	case m&fs.ModeCharDevice != 0:
		is = "is a character device"
	case m&fs.ModeDevice != 0:
		is = "is a device"
	default:
		is = "is " + m.Type().String()
	}
	return fmt.Errorf("%s: %s, not a regular file; %s must be a regular file", path, is, what)
}
