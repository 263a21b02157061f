package decode

import "errors"

// Open reads the object at path (never writing it) and parses it.
func Open(path string) (*File, error) {
	return nil, errors.New("not implemented")
}

// Parse parses an object held in memory; name is used in messages only.
func Parse(name string, data []byte) (*File, error) {
	return nil, errors.New("not implemented")
}
