package digest

import "math/bits"

// termCounts counts terms (see docFreq): a hash table with open addressing
// and linear probing, which for the window's few ten thousand terms is
// faster than a map. Terms are hashes already, so a multiplication spreads
// them over the table. A term whose count falls to 0 is removed (by
// shifting back the entries after it, so no tombstones build up); a count
// of 0 marks an empty slot.
type termCounts struct {
	slots []termSlot // a power of two long, at most half full
	shift uint       // 64 minus log2(len(slots))
	n     int        // terms held
}

type termSlot struct {
	t uint64
	n int32
}

// home is the slot where t's probe starts.
func (m *termCounts) home(t uint64) int {
	return int((t * 0x9e3779b97f4a7c15) >> m.shift)
}

// get returns the count of t, 0 if none.
func (m *termCounts) get(t uint64) int32 {
	if m.n == 0 {
		return 0
	}
	mask := len(m.slots) - 1
	for i := m.home(t); ; i = (i + 1) & mask {
		s := &m.slots[i]
		if s.n == 0 || s.t == t {
			return s.n
		}
	}
}

// add adds delta to the count of t, removing t when its count falls to 0
// or below.
func (m *termCounts) add(t uint64, delta int32) {
	if 2*(m.n+1) > len(m.slots) {
		m.grow()
	}
	mask := len(m.slots) - 1
	i := m.home(t)
	for ; m.slots[i].n != 0; i = (i + 1) & mask {
		if m.slots[i].t == t {
			if m.slots[i].n += delta; m.slots[i].n <= 0 {
				m.remove(i)
			}
			return
		}
	}
	if delta > 0 {
		m.slots[i] = termSlot{t, delta}
		m.n++
	}
}

// remove empties slot i and moves back the entries of the run after it
// that would no longer be found.
func (m *termCounts) remove(i int) {
	mask := len(m.slots) - 1
	for j := (i + 1) & mask; m.slots[j].n != 0; j = (j + 1) & mask {
		// The entry at j may move to i unless its home lies cyclically
		// in (i, j].
		if h := m.home(m.slots[j].t); (j-h)&mask >= (j-i)&mask {
			m.slots[i] = m.slots[j]
			i = j
		}
	}
	m.slots[i] = termSlot{}
	m.n--
}

// grow doubles the table (to 64 slots at first) and re-inserts the terms.
func (m *termCounts) grow() {
	old := m.slots
	size := max(64, 2*len(old))
	m.slots = make([]termSlot, size)
	m.shift = uint(64 - bits.TrailingZeros(uint(size)))
	m.n = 0
	for _, s := range old {
		if s.n != 0 {
			m.add(s.t, s.n)
		}
	}
}

// len returns the number of terms held.
func (m *termCounts) len() int { return m.n }
