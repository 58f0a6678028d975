package atomicfs

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange swaps the directories at a and b in one step (renameat2 with
// RENAME_EXCHANGE), so that a process killed at any instant leaves either
// the old or the new output at b, never neither. It reports
// errors.ErrUnsupported where the file system cannot exchange.
func exchange(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP) {
		return errors.ErrUnsupported
	}
	return err
}

// processAlive reports whether process pid exists (signal 0 checks
// without sending anything; EPERM means it exists under another user).
func processAlive(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || errors.Is(err, unix.EPERM)
}
