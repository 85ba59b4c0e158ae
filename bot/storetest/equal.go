package storetest

import (
	"bytes"
	"encoding/json"
)

// equalJSON compares two values by their JSON encoding: what a store keeps is
// what survives a round trip, and times compare by instant, not by location.
func equalJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}
