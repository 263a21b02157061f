// Package arm64 decodes arm64 machine code into arch.Insn values.
package arm64
