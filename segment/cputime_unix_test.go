//go:build unix

package segment_test

import "syscall"

// processCPU returns the user+system CPU time the process has used, in
// nanoseconds. Benchmarks report it next to wall time because the machine
// they run on is shared: CPU time is what the work costs, wall time also
// counts waiting for a core.
func processCPU() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
