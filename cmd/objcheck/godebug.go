//go:debug updatemaxprocs=0
package main

// The go:debug line above turns off the runtime's goroutine that follows
// the cgroup's CPU limit for GOMAXPROCS: a run lasts milliseconds, so the
// goroutine would only cost its start (and the thread woken to run it).
