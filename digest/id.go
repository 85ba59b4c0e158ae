package digest

import (
	"crypto/sha256"
	"encoding/base32"
	"strconv"
	"strings"
)

// idLen is the length of a development ID: 7 base32 characters, 35 bits.
const idLen = 7

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// developmentID derives a development's ID from the identity of the article
// that founded it, so the same articles replayed into a new engine give the
// same IDs. taken reports IDs in use; on a collision the hash is salted
// with a counter until the ID is free.
func developmentID(a Article, taken func(string) bool) string {
	key := outlet(a.Source) + "\x00" + a.ID
	if a.ID == "" {
		key += "\x00" + a.URL
	}
	for i := 0; ; i++ {
		salted := key
		if i > 0 {
			salted += "\x00" + strconv.Itoa(i)
		}
		sum := sha256.Sum256([]byte(salted))
		id := strings.ToLower(idEncoding.EncodeToString(sum[:]))[:idLen]
		if !taken(id) {
			return id
		}
	}
}
