package decode

import (
	"debug/elf"
	"encoding/binary"
	"strings"

	"github.com/objcheck/objcheck/arch"
	"github.com/objcheck/objcheck/arch/x86"
)

// archFor returns the architecture that decodes code for machine m in byte
// order order. It is the one table of supported machines.
//
// arm64 and ppc64 carry only their name and byte order (no Decode) until
// their checkers land; the checker refuses an Arch without Decode.
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
		return &arch.Arch{Name: "arm64", ByteOrder: order}, nil
	case elf.EM_PPC64:
		if big {
			return &arch.Arch{Name: "ppc64", ByteOrder: order}, nil
		}
		return &arch.Arch{Name: "ppc64le", ByteOrder: order}, nil
	}
	// String gives "EM_ALPHA+2419" for a number it does not know.
	if name := m.String(); strings.HasPrefix(name, "EM_") && !strings.Contains(name, "+") {
		return nil, errorf("unsupported machine %s (%d)", name, uint16(m))
	}
	return nil, errorf("unsupported machine %d", uint16(m))
}
