package decode

import (
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds Parse arbitrary bytes, seeded with the small objects of
// testdata and the malformed ones of ../testdata/bad. It calls parse, which has no recover,
// so that a panic fails the test even though Parse would turn it into an
// error. Parse must return exactly one of a File and an error, and a File
// must keep its promises (checkFile).
func FuzzParse(f *testing.F) {
	objs, _ := filepath.Glob(filepath.Join(badDir, "*.o"))
	small, _ := filepath.Glob("testdata/*.o")
	for _, obj := range append(objs, small...) {
		data, err := os.ReadFile(obj)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, o := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		f.Add(smallObject(o, elf.EM_PPC64, false))
		f.Add(smallObject(o, elf.EM_PPC64, true))
	}
	f.Fuzz(checkParse)
}

// FuzzParsePatch overwrites up to two 8-byte words of a valid object,
// which reaches the checks deep in the file that random bytes rarely get
// past the header to.
func FuzzParsePatch(f *testing.F) {
	seeds := [][]byte{
		smallObject(binary.LittleEndian, elf.EM_X86_64, false),
		smallObject(binary.BigEndian, elf.EM_PPC64, true),
	}
	if base, err := os.ReadFile(filepath.Join(badDir, "base.o")); err == nil {
		seeds = append(seeds, base)
	}
	for i := range seeds {
		f.Add(uint8(i), uint16(0), uint64(0), uint16(0), uint64(0))
	}
	f.Fuzz(func(t *testing.T, seed uint8, off1 uint16, v1 uint64, off2 uint16, v2 uint64) {
		data := append([]byte(nil), seeds[int(seed)%len(seeds)]...)
		for _, p := range []struct {
			off uint16
			v   uint64
		}{{off1, v1}, {off2, v2}} {
			if at := int(p.off); at+8 <= len(data) {
				binary.LittleEndian.PutUint64(data[at:], p.v)
			}
		}
		checkParse(t, data)
	})
}

// checkParse checks what parse makes of data.
func checkParse(t *testing.T, data []byte) {
	file, err := parse("fuzz.o", data)
	if (file == nil) == (err == nil) {
		t.Fatalf("parse returned File %v and error %v", file != nil, err)
	}
	if err != nil {
		if _, ok := err.(*Error); !ok {
			t.Fatalf("error %v is a %T, not a *decode.Error", err, err)
		}
		return
	}
	if err := checkFile(file, data); err != nil {
		t.Fatal(err)
	}
}
