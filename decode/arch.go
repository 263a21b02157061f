package decode

import (
	"debug/elf"
	"encoding/binary"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/arch/arm64"
	"github.com/objcheck/objcheck/arch/ppc64"
	"github.com/objcheck/objcheck/arch/x86"
)

// archFor returns the architecture that decodes code for machine m in byte
// order order. It is the one table of supported machines.
func archFor(m elf.Machine, order binary.ByteOrder) (*arch.Arch, error) {
	big := order == binary.BigEndian
	switch m {
	case elf.EM_X86_64:
		if big {
			return nil, errorf("big-endian EM_X86_64 objects are not supported")
		}
		return x86.New(), nil
	case elf.EM_AARCH64:
		if big {
			return nil, errorf("big-endian EM_AARCH64 objects are not supported")
		}
		return arm64.New(), nil
	case elf.EM_PPC64:
		return ppc64.New(order), nil
	}
	// String gives "EM_ALPHA+2419" for a number it does not know.
	if name := m.String(); strings.HasPrefix(name, "EM_") && !strings.Contains(name, "+") {
		return nil, errorf("unsupported machine %s (%d)", name, uint16(m))
	}
	return nil, errorf("unsupported machine %d", uint16(m))
}
