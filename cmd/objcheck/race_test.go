//go:build race

package main

// raceDetector reports a test binary built with -race, which multiplies
// time and memory by five to ten: the corpus-wide comparisons then take a
// sample of their objects, enough to run their goroutines against each
// other.
const raceDetector = true
