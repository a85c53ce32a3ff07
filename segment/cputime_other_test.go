//go:build !unix

package segment_test

func processCPU() (int64, bool) { return 0, false }
